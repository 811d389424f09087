"""Practice translations: the original a practice translates, one version a language

Revision ID: 8d2f4b6a1c37
Revises: 7c4e1a9b2d35
Create Date: 2026-12-03 02:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d2f4b6a1c37'
down_revision = "5e2b8c4d1a70"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translation_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_practices_translation_of_id'),
                              ['translation_of_id'], unique=False)
        batch_op.create_index('uq_practices_translation_language',
                              ['translation_of_id', 'language'], unique=True)
        batch_op.create_foreign_key('fk_practices_translation_of_id_practices', 'practices',
                                    ['translation_of_id'], ['id'])


def downgrade():
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_constraint('fk_practices_translation_of_id_practices',
                                 type_='foreignkey')
        batch_op.drop_index('uq_practices_translation_language')
        batch_op.drop_index(batch_op.f('ix_practices_translation_of_id'))
        batch_op.drop_column('translation_of_id')
