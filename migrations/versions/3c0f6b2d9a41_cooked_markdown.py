"""Cooked Markdown: the sanitised HTML and plain text stored beside each source

Revision ID: 3c0f6b2d9a41
Revises: 3c1f0a7d2b9e
Create Date: 2026-12-02 01:30:00.000000

Existing rows are left NULL (shown as escaped text until cooked): `nanum content cook`,
which `make run` runs after the upgrade, cooks them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c0f6b2d9a41'
down_revision = '3c1f0a7d2b9e'
branch_labels = None
depends_on = None

TABLES = ('practices', 'posts', 'organisations', 'users')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('cooked', sa.JSON(), nullable=True))
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('teaser', sa.String(length=241), nullable=True))


def downgrade():
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_column('teaser')
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('cooked')
