"""SDG suggestions kept for each practice, with the author's answer

Revision ID: 5e7a9c3d1f28
Revises: 8c1d5e7f2a40
Create Date: 2026-12-02 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a9c3d1f28'
down_revision = '8c1d5e7f2a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sdg_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=5), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('words', sa.JSON(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_sdg_suggestions_practice_id_practices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sdg_suggestions')),
    sa.UniqueConstraint('practice_id', 'key', name=op.f('uq_sdg_suggestions_practice_id'))
    )


def downgrade():
    op.drop_table('sdg_suggestions')
