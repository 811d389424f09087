"""Moderation statements to an organisation's admins, and who appealed a statement

Revision ID: d4a8f2b6c1e3
Revises: b7e3a1c5d902
Create Date: 2026-12-02 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a8f2b6c1e3'
down_revision = 'b7e3a1c5d902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('moderation_statements', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('appealed_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_moderation_statements_organisation_id'),
                              ['organisation_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_moderation_statements_organisation_id_organisations'),
            'organisations', ['organisation_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(
            batch_op.f('fk_moderation_statements_appealed_by_id_users'),
            'users', ['appealed_by_id'], ['id'])
    # Until now only the person a statement concerned could appeal it.
    statements = sa.table('moderation_statements', sa.column('user_id', sa.Integer),
                          sa.column('appealed_by_id', sa.Integer),
                          sa.column('appeal_status', sa.String))
    op.execute(statements.update().where(statements.c.appeal_status.is_not(None))
               .values(appealed_by_id=statements.c.user_id))


def downgrade():
    with op.batch_alter_table('moderation_statements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_moderation_statements_appealed_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_moderation_statements_organisation_id_organisations'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_moderation_statements_organisation_id'))
        batch_op.drop_column('appealed_by_id')
        batch_op.drop_column('organisation_id')
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
