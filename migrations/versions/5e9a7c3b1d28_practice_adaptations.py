"""Practice adaptations: the practice a practice adapts, what changed and what happened

Revision ID: 5e9a7c3b1d28
Revises: 5e7a9c3d1f28
Create Date: 2026-12-02 14:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e9a7c3b1d28'
down_revision = '5e7a9c3d1f28'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adapted_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('adaptation_changes', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('adaptation_results', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_practices_adapted_from_id'), ['adapted_from_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_practices_adapted_from_id_practices', 'practices',
                                    ['adapted_from_id'], ['id'])


def downgrade():
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_constraint('fk_practices_adapted_from_id_practices', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_practices_adapted_from_id'))
        batch_op.drop_column('adaptation_results')
        batch_op.drop_column('adaptation_changes')
        batch_op.drop_column('adapted_from_id')
