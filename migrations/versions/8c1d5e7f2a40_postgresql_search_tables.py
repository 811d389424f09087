"""The PostgreSQL search engine's tables: documents with a weighted tsvector, postings, words

Revision ID: 8c1d5e7f2a40
Revises: 3f8a2c6d9e14
Create Date: 2026-12-02 10:30:00.000000

Only on PostgreSQL (SEARCH_ENGINE = "postgres"); nothing happens on SQLite. The tables are
not models: the search engine reads and writes them in SQL of its own.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8c1d5e7f2a40'
down_revision = '3f8a2c6d9e14'
branch_labels = None
depends_on = None

UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE search_documents (
        id serial PRIMARY KEY,
        key text COLLATE "C" NOT NULL UNIQUE,
        content text NOT NULL,
        facets text[] NOT NULL DEFAULT '{}',
        title_len integer NOT NULL DEFAULT 0,
        summary_len integer NOT NULL DEFAULT 0,
        body_len integer NOT NULL DEFAULT 0,
        about_len integer NOT NULL DEFAULT 0,
        distinct_terms integer NOT NULL DEFAULT 0,
        published timestamp,
        discussed integer NOT NULL DEFAULT 0,
        tsv tsvector NOT NULL,
        stems tsvector NOT NULL DEFAULT '')""",
    "CREATE INDEX search_documents_tsv ON search_documents USING gin (tsv)",
    "CREATE INDEX search_documents_stems ON search_documents USING gin (stems)",
    "CREATE INDEX search_documents_facets ON search_documents USING gin (facets)",
    """CREATE TABLE search_postings (
        term text COLLATE "C" NOT NULL,
        doc integer NOT NULL,
        title smallint NOT NULL,
        summary smallint NOT NULL,
        body smallint NOT NULL,
        about smallint NOT NULL,
        PRIMARY KEY (term, doc) INCLUDE (title, summary, body, about))""",
    "CREATE INDEX search_postings_doc ON search_postings (doc)",
    'CREATE TABLE search_words (word text COLLATE "C" PRIMARY KEY)',
    "CREATE INDEX search_words_trigrams ON search_words USING gin (word gin_trgm_ops)",
    "CREATE TABLE search_state (name text PRIMARY KEY, value text NOT NULL)",
    "CREATE SEQUENCE search_generation",
)

DOWNGRADE = (
    "DROP SEQUENCE IF EXISTS search_generation",
    "DROP TABLE IF EXISTS search_state",
    "DROP TABLE IF EXISTS search_words",
    "DROP TABLE IF EXISTS search_postings",
    "DROP TABLE IF EXISTS search_documents",
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
