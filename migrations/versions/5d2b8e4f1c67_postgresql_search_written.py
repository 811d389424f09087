"""The PostgreSQL search engine: the generation of each document's last write

Revision ID: 5d2b8e4f1c67
Revises: 7c4e1a9b2d35
Create Date: 2026-12-03 02:00:00.000000

Only on PostgreSQL (SEARCH_ENGINE = "postgres"); nothing happens on SQLite. With it, the
facets kept in memory are brought up to date by reading the documents written since.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d2b8e4f1c67'
down_revision = '7c4e1a9b2d35'
branch_labels = None
depends_on = None

UPGRADE = (
    "ALTER TABLE search_documents ADD COLUMN written bigint NOT NULL DEFAULT 0",
    "CREATE INDEX search_documents_written ON search_documents (written)",
)

DOWNGRADE = (
    "DROP INDEX IF EXISTS search_documents_written",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS written",
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
