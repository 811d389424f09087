"""Index the search outbox by document key, so that a batch finds every row of its documents

Revision ID: 3f8a2c6d9e14
Revises: d4a8f2b6c1e3
Create Date: 2026-12-02 07:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f8a2c6d9e14'
down_revision = 'd4a8f2b6c1e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_outbox_doc_key'), ['doc_key'], unique=False)


def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_doc_key'))
