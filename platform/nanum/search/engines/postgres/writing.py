"""Writing the PostgreSQL engine's tables: document upserts and deletes, full rebuilds.

Every function takes a SQLAlchemy connection inside a transaction and leaves committing to
whoever opened it: the writer of `engine.writing()`, a rebuild, or the application's own
transaction (`transaction.py`), which is how changes are searchable the moment they commit.
"""

from sqlalchemy import text

from nanum.search.engine import TEXT_FIELDS
from nanum.search.engines.postgres.facets import REBUILT
from nanum.search.engines.postgres.schema import POSTINGS_KEY, WEIGHT_LETTERS, Row

STAMP = "stamp"

_UPSERT = text("""
    INSERT INTO search_documents (key, content, facets, title_len, summary_len, body_len,
        about_len, distinct_terms, published, discussed, tsv, written)
    VALUES (:key, :content, :facets, :title_len, :summary_len, :body_len, :about_len,
        :distinct_terms, :published, :discussed, CAST(:tsv AS tsvector),
        currval('search_generation'))
    ON CONFLICT (key) DO UPDATE SET content = excluded.content, facets = excluded.facets,
        title_len = excluded.title_len, summary_len = excluded.summary_len,
        body_len = excluded.body_len, about_len = excluded.about_len,
        distinct_terms = excluded.distinct_terms, published = excluded.published,
        discussed = excluded.discussed, tsv = excluded.tsv, stems = DEFAULT,
        written = excluded.written
    RETURNING id""")


def lock_for_writing(connection, timeout=None):
    """Wait (up to `timeout` seconds) while a rebuild replaces the tables; writers do not
    wait for one another. Raises sqlalchemy's OperationalError when the wait times out."""
    if timeout is not None:
        connection.execute(text(f"SET LOCAL lock_timeout = {max(int(timeout * 1000), 1)}"))
    connection.execute(text("LOCK TABLE search_documents IN ROW EXCLUSIVE MODE"))
    if timeout is not None:
        connection.execute(text("SET LOCAL lock_timeout = 0"))


def apply(connection, updated, deleted):
    """Write documents (dicts) and delete keys, in the connection's transaction."""
    if not updated and not deleted:
        return
    bump(connection)  # first: each document written records this generation
    # Documents are locked in one order, so that two transactions never wait for each other.
    keys = sorted({*(document["key"] for document in updated), *deleted})
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('search:' || k)) "
                            "FROM unnest(CAST(:keys AS text[])) AS k"), {"keys": keys})
    if deleted:
        connection.execute(text(
            "DELETE FROM search_postings WHERE doc IN (SELECT id FROM search_documents "
            "WHERE key = ANY(:keys))"), {"keys": list(deleted)})
        connection.execute(text("DELETE FROM search_documents WHERE key = ANY(:keys)"),
                           {"keys": list(deleted)})
    rows = [Row(document) for document in sorted(updated, key=lambda d: d["key"])]
    words = set()
    for row in rows:
        doc = connection.execute(_UPSERT, row.values).scalar_one()
        _stem(connection, [(doc, row)])
        connection.execute(text("DELETE FROM search_postings WHERE doc = :doc"), {"doc": doc})
        _insert_postings(connection, [(doc, row)])
        words.update(row.words)
    _insert_words(connection, words)


def bump(connection):
    """Give the index a new generation (the sequence never waits for a transaction)."""
    connection.execute(text("SELECT nextval('search_generation')"))


def _insert_postings(connection, rows):
    values = [{"term": term, "doc": doc, "title": counts[0], "summary": counts[1],
               "body": counts[2], "about": counts[3]}
              for doc, row in rows for term, counts in row.postings.items()]
    if values:
        connection.execute(text(
            "INSERT INTO search_postings (term, doc, title, summary, body, about) "
            "VALUES (:term, :doc, :title, :summary, :body, :about)"), values)


def _insert_words(connection, words):
    if words:
        connection.execute(text(
            "INSERT INTO search_words (word) SELECT unnest(CAST(:words AS text[])) "
            "ORDER BY 1 ON CONFLICT DO NOTHING"), {"words": sorted(words)})


def rebuild(connection, documents, progress=None, batch=500):
    """Replace every row with `documents`, in the connection's transaction; return how many.

    The tables are locked against writers (readers go on reading the old rows) until the
    transaction ends. The postings are copied into a new table, frozen (so that the ranking
    reads them from their index alone at once) and indexed once full; it then takes the
    old one's place.
    """
    connection.execute(text("LOCK TABLE search_documents, search_postings, search_words "
                            "IN SHARE ROW EXCLUSIVE MODE"))
    for table in ("search_documents", "search_words"):
        connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (names from this module)
    connection.execute(text("DROP TABLE IF EXISTS search_postings_new"))
    connection.execute(text("CREATE TABLE search_postings_new (LIKE search_postings)"))
    cursor = connection.connection.driver_connection.cursor()
    count, words, pending = 0, set(), []
    for document in documents:
        count += 1
        pending.append((count, Row(document)))
        if len(pending) >= batch:
            _copy(cursor, pending, words)
            pending = []
        if progress:
            progress(1)
    _copy(cursor, pending, words)
    with cursor.copy("COPY search_words (word) FROM STDIN") as copy:
        for word in sorted(words):
            copy.write_row((word,))
    for statement in (
            f"ALTER TABLE search_postings_new ADD CONSTRAINT search_postings_new_pkey "
            f"PRIMARY KEY {POSTINGS_KEY}",
            "CREATE INDEX search_postings_new_doc ON search_postings_new (doc)",
            "DROP TABLE search_postings",
            "ALTER TABLE search_postings_new RENAME TO search_postings",
            "ALTER INDEX search_postings_new_pkey RENAME TO search_postings_pkey",
            "ALTER INDEX search_postings_new_doc RENAME TO search_postings_doc"):
        connection.execute(text(statement))
    connection.execute(text("SELECT setval('search_documents_id_seq', :n, :called)"),
                       {"n": max(count, 1), "called": count > 0})
    for table in ("search_documents", "search_postings", "search_words"):
        connection.execute(text(f"ANALYZE {table}"))
    bump(connection)
    # The documents are numbered afresh: whoever keeps their facets reads them again.
    connection.execute(text(
        "INSERT INTO search_state (name, value) SELECT :name, "
        "CAST(currval('search_generation') AS text) ON CONFLICT (name) "
        "DO UPDATE SET value = excluded.value"), {"name": REBUILT})
    return count


_COLUMNS = ("key", "content", "facets", "title_len", "summary_len", "body_len", "about_len",
            "distinct_terms", "published", "discussed", "tsv")


def _copy(cursor, rows, words):
    if not rows:
        return
    with cursor.copy(f"COPY search_documents (id, {', '.join(_COLUMNS)}) FROM STDIN") as copy:
        for doc, row in rows:
            copy.write_row((doc, *(row.values[name] for name in _COLUMNS)))
    with cursor.copy("COPY search_postings_new (term, doc, title, summary, body, about) "
                     "FROM STDIN WITH (FREEZE)") as copy:
        for doc, row in rows:
            for term, counts in row.postings.items():
                copy.write_row((term, doc, *counts))
    for _doc, row in rows:
        words.update(row.words)
    _stem(cursor.connection, rows)


_STEMS = ("UPDATE search_documents SET stems = "
          + " || ".join(f"setweight(to_tsvector(CAST(%(config)s AS regconfig), %({name})s), "
                        f"'{letter}')" for name, letter in WEIGHT_LETTERS.items())
          + " WHERE id = %(doc)s")


def _stem(connection, rows):
    """Stem the text of documents in another language than English with PostgreSQL's
    configuration for that language (`connection`: SQLAlchemy's or psycopg's)."""
    values = [{"doc": doc, "config": row.config, **dict(zip(TEXT_FIELDS, row.texts, strict=True))}
              for doc, row in rows if row.config]
    if not values:
        return
    if hasattr(connection, "cursor"):  # psycopg, in a rebuild
        connection.cursor().executemany(_STEMS, values)
    else:
        connection.exec_driver_sql(_STEMS, values)


def set_stamp(connection, stamp):
    connection.execute(text("DELETE FROM search_state WHERE name = :name"), {"name": STAMP})
    if stamp is not None:
        connection.execute(text("INSERT INTO search_state (name, value) VALUES (:n, :v)"),
                           {"n": STAMP, "v": stamp})


def read_stamp(connection):
    return connection.execute(text("SELECT value FROM search_state WHERE name = :name"),
                              {"name": STAMP}).scalar()
