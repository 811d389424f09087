"""Place profiles: the context a person or an organisation works in ("places like mine")

Revision ID: 5e2b7c9d4f18
Revises: 5e9a7c3b1d28
Create Date: 2026-12-02 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2b7c9d4f18'
down_revision = '5e9a7c3b1d28'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('place_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('uses_organisation_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('region', sa.String(length=60), nullable=True),
    sa.Column('government_level', sa.String(length=20), nullable=True),
    sa.Column('population_band', sa.String(length=20), nullable=True),
    sa.Column('settlement_type', sa.String(length=20), nullable=True),
    sa.Column('budget_band', sa.String(length=20), nullable=True),
    sa.Column('infrastructure_level', sa.String(length=20), nullable=True),
    sa.Column('staff_band', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(user_id IS NULL) <> (organisation_id IS NULL)', name=op.f('ck_place_profiles_one_owner')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_place_profiles_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_place_profiles_user_id_users')),
    sa.ForeignKeyConstraint(['uses_organisation_id'], ['organisations.id'], name=op.f('fk_place_profiles_uses_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_profiles')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_place_profiles_organisation_id')),
    sa.UniqueConstraint('user_id', name=op.f('uq_place_profiles_user_id'))
    )


def downgrade():
    op.drop_table('place_profiles')
