"""The PostgreSQL search engine: an index of the documents' dates, newest first

Revision ID: 6c63d008f919
Revises: 3500ff166a5d
Create Date: 2026-12-03 15:00:00.000000

Only on PostgreSQL (SEARCH_ENGINE = "postgres"); nothing happens on SQLite. A search of a
common word sorted newest first walks it until a page of the documents found is listed.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '6c63d008f919'
down_revision = '3500ff166a5d'
branch_labels = None
depends_on = None

UPGRADE = (
    "CREATE INDEX search_documents_published ON search_documents "
    "(published DESC NULLS LAST, key DESC)",
)

DOWNGRADE = (
    "DROP INDEX IF EXISTS search_documents_published",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
