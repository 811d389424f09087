"""The PostgreSQL engine's tables, and how a document becomes their rows.

`search_documents` holds one row per document: its facets as `field:value` strings, the
length of each text field, and a weighted `tsvector` (title A, summary B, body C, about D)
with a GIN index that finds the documents a query matches. `search_postings` holds, for
each term of each document, how often it occurs in each field: the ranking reads only the
postings of the query's terms, for the documents found. `search_words` holds the words
offered as spelling corrections, with a trigram index (`pg_trgm`).

The tables are created by a migration on PostgreSQL (`create` below is the same DDL, for
tests and for databases made without migrations). Terms come from `analysis`, the same as
every engine, and reach PostgreSQL as quoted lexemes: no text is parsed by PostgreSQL.
"""

from collections import Counter

from sqlalchemy import text

from nanum.search import analysis
from nanum.search.engine import FACET_FIELDS, TEXT_FIELDS

WEIGHT_LETTERS = dict(zip(TEXT_FIELDS, "ABCD", strict=True))
MAX_POSITION = 16383  # tsvector positions stop there
MAX_TERM_BYTES = 1000  # a longer "word" is not indexed (btree and tsvector limits)

# The ranking reads a term's frequencies from this index alone (an index-only scan).
POSTINGS_KEY = "(term, doc) INCLUDE (title, summary, body, about)"

DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE IF NOT EXISTS search_documents (
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
    "CREATE INDEX IF NOT EXISTS search_documents_tsv ON search_documents USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS search_documents_stems ON search_documents "
    "USING gin (stems)",
    "CREATE INDEX IF NOT EXISTS search_documents_facets ON search_documents "
    "USING gin (facets)",
    f"""CREATE TABLE IF NOT EXISTS search_postings (
        term text COLLATE "C" NOT NULL,
        doc integer NOT NULL,
        title smallint NOT NULL,
        summary smallint NOT NULL,
        body smallint NOT NULL,
        about smallint NOT NULL,
        PRIMARY KEY {POSTINGS_KEY})""",
    "CREATE INDEX IF NOT EXISTS search_postings_doc ON search_postings (doc)",
    """CREATE TABLE IF NOT EXISTS search_words (
        word text COLLATE "C" PRIMARY KEY)""",
    "CREATE INDEX IF NOT EXISTS search_words_trigrams ON search_words "
    "USING gin (word gin_trgm_ops)",
    """CREATE TABLE IF NOT EXISTS search_state (
        name text PRIMARY KEY,
        value text NOT NULL)""",
    "CREATE SEQUENCE IF NOT EXISTS search_generation",
    # The generation of each document's last write: what changed since is read alone.
    "ALTER TABLE search_documents ADD COLUMN IF NOT EXISTS written bigint NOT NULL DEFAULT 0",
    "CREATE INDEX IF NOT EXISTS search_documents_written ON search_documents (written)",
    # The newest first: walked until a page of documents found is listed.
    "CREATE INDEX IF NOT EXISTS search_documents_published ON search_documents "
    "(published DESC NULLS LAST, key DESC)",
)

# A practice's words are stemmed in English by `analysis`, as in every engine; those of a
# practice in another language are also stemmed by PostgreSQL's configuration for it (the
# `stems` column), or only lower-cased (`simple`) when PostgreSQL has none.
LANGUAGE_CONFIGS = {"es": "spanish", "fr": "french", "pt": "portuguese", "de": "german",
                    "it": "italian", "nl": "dutch", "sv": "swedish", "da": "danish",
                    "fi": "finnish", "no": "norwegian", "ru": "russian", "tr": "turkish",
                    "id": "indonesian", "ar": "arabic", "hu": "hungarian", "ro": "romanian"}
STEM_CONFIGS = tuple(sorted({*LANGUAGE_CONFIGS.values(), "simple"}))


def language_config(code):
    """Return the PostgreSQL configuration stemming a language, None for English."""
    if not code or code == "en":
        return None
    return LANGUAGE_CONFIGS.get(code, "simple")


TABLES = ("search_documents", "search_postings", "search_words", "search_state")


def create(connection):
    """Create the engine's tables where they are missing."""
    for statement in DDL:
        connection.execute(text(statement))


def exists(connection):
    return connection.execute(text("SELECT to_regclass('search_state')")).scalar() is not None


def lexeme(term):
    """Return a term as a quoted tsvector/tsquery lexeme: never read as syntax."""
    if "'" in term or "\\" in term:
        term = term.replace("\\", "\\\\").replace("'", "''")
    return f"'{term}'"


def indexable(term):
    return bool(term) and len(term.encode()) <= MAX_TERM_BYTES


class Row:
    """What one document writes: its row, its postings and its spelling words."""

    def __init__(self, document):
        self.key = document["key"]
        entries = {}  # term -> ([frequency in each field], [positions])
        self.lengths = {}
        position = 0
        for index, name in enumerate(TEXT_FIELDS):
            terms = analysis.terms(document.get(name) or "")
            self.lengths[name] = len(terms)
            letter = WEIGHT_LETTERS[name]
            for term in terms:
                position += 1
                entry = entries.get(term)
                if entry is None:
                    if not indexable(term):
                        continue
                    entry = entries[term] = ([0, 0, 0, 0], [])
                entry[0][index] += 1
                # At most 256 positions a lexeme, and none past MAX_POSITION.
                if len(entry[1]) < 256 and position <= MAX_POSITION:
                    entry[1].append(f"{position}{letter}")
            if terms:
                position += 1  # a gap: no phrase runs from one field into the next
        self.postings = {term: [min(count, 32767) for count in counts]
                         for term, (counts, _positions) in entries.items()}
        self.tsv = " ".join(f"{lexeme(term)}:{','.join(positions)}" if positions
                            else lexeme(term) for term, (_counts, positions) in entries.items())
        facets = []
        for name in FACET_FIELDS:
            value = document.get(name)
            values = value if isinstance(value, list | tuple) else [value]
            facets += sorted({f"{name}:{v}" for v in values if v})
        self.values = {
            "key": self.key,
            "content": str(document.get("content") or ""),
            "facets": facets,
            **{f"{name}_len": length for name, length in self.lengths.items()},
            "distinct_terms": len(self.postings),
            "published": document.get("published"),
            "discussed": int(document.get("discussed") or 0),
            "tsv": self.tsv,
        }
        self.config = language_config(document.get("language"))
        self.texts = [document.get(name) or "" for name in TEXT_FIELDS]
        self.words = sorted({word for word in analysis.words(document.get("spell") or "")
                             if 3 <= len(word) <= 100})


def key_terms(text_, limit):
    """Return the terms of a text with their counts, most frequent first."""
    counts = Counter(term for term in analysis.terms(text_) if indexable(term))
    return counts.most_common(limit)
