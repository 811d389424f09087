"""The systems bench/relevance.py compares, each returning {query id: [corpus ids, best first]}.

Every system is given the same corpus and the same queries. The plain engines index each
practice's title, and its summary and write-up sections as the body, and search for any of
the query's words; Nanum imports the corpus through its own importer and is searched as the
search page searches it.
"""

import argparse
import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

DEPTH = 50  # each system's ranked list is cut here
SECTIONS = ("context", "objectives", "implementation", "stakeholders", "results",
            "enabling_factors", "constraints", "lessons", "sustainability")


def plain_fields(record):
    """Return (title, body) of a corpus record: the body is the summary and the sections."""
    parts = [record.get("summary") or ""]
    parts += [record.get(key) or "" for key in SECTIONS]
    return record.get("title") or "", "\n".join(part for part in parts if part)


def words(text):
    """Lower-cased words of a query, without punctuation or query syntax."""
    return re.findall(r"\w+", text.lower())


def run(name, corpus, queries, options):
    return RUNNERS[name](corpus, queries, options)


def parse_config(pairs):
    """Turn KEY=VALUE strings into settings; values are read as JSON when they parse."""
    settings = {}
    for pair in pairs or ():
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"--nanum-config takes KEY=VALUE, not {pair!r}")
        try:
            settings[key] = json.loads(raw)
        except json.JSONDecodeError:
            settings[key] = raw
    return settings


# -- SQLite FTS5 ---------------------------------------------------------------------------

def run_fts5(corpus, queries, _options):
    """FTS5's bm25 over title and body, any of the words (OR)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, body, "
                       "tokenize='porter unicode61 remove_diacritics 2')")
    connection.executemany("INSERT INTO fts VALUES (?, ?, ?)",
                           [(r["id"], *plain_fields(r)) for r in corpus])
    ranked = {}
    for q in queries:
        match = " OR ".join(f'"{word}"' for word in words(q["text"]))
        ranked[q["id"]] = [row[0] for row in connection.execute(
            "SELECT id FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?",
            (match, DEPTH))] if match else []
    connection.close()
    return ranked


# -- plain Whoosh --------------------------------------------------------------------------

def run_whoosh(corpus, queries, _options):
    """Whoosh's default BM25F over title and body, StemmingAnalyzer, an OR group."""
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import MultifieldParser, OrGroup

    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                    body=TEXT(analyzer=StemmingAnalyzer()))
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for record in corpus:
            title, body = plain_fields(record)
            writer.add_document(id=record["id"], title=title, body=body)
    parser = MultifieldParser(["title", "body"], schema, group=OrGroup)
    ranked = {}
    with index.searcher() as searcher:
        for q in queries:
            hits = searcher.search(parser.parse(" ".join(words(q["text"]))), limit=DEPTH)
            ranked[q["id"]] = [hit["id"] for hit in hits]
    return ranked


# -- tantivy -------------------------------------------------------------------------------

def run_tantivy(corpus, queries, _options):
    """tantivy's BM25 over title and body (English stemming), any of the words."""
    try:
        import tantivy
    except ImportError:
        print("  tantivy: not installed, skipped (pip install -e '.[bench]')")
        return None
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    index = tantivy.Index(builder.build())
    writer = index.writer(num_threads=1)  # one segment in corpus order: ties rank the same
    for record in corpus:
        title, body = plain_fields(record)
        writer.add_document(tantivy.Document(id=record["id"], title=title, body=body))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    ranked = {}
    for q in queries:
        text = " ".join(words(q["text"]))
        if not text:
            ranked[q["id"]] = []
            continue
        hits = searcher.search(index.parse_query(text, ["title", "body"]), DEPTH).hits
        ranked[q["id"]] = [searcher.doc(address)["id"][0] for _score, address in hits]
    return ranked


# -- Nanum ---------------------------------------------------------------------------------

def nanum_search(q):
    """Nanum's ranked practices for what a person typed, as the search page finds them."""
    from nanum.practices.browse import Filters
    from nanum.search import service

    results = service.search(q, Filters(), page=1, per_page=DEPTH)
    return [hit.item.id for hit in results.hits if hit.content == "practice"]


def corpus_digest(corpus):
    return hashlib.sha256(json.dumps(corpus, sort_keys=True).encode()).hexdigest()


# Organisation types as the corpus may spell them, read as the importer's codes.
ORG_TYPE_ALIASES = {"ministry": "NGM", "government": "LRG", "university": "ACADEMIA",
                    "ngo": "CSO"}


def import_line(record):
    """The importer's record for a corpus record: without its id, the organisation's type
    read leniently (any case, a label, or a common name such as "ministry")."""
    from nanum.organisations.vocab import ORG_TYPES

    line = {key: value for key, value in record.items() if key != "id"}
    organisation = line.get("organisation")
    if isinstance(organisation, dict) and organisation.get("type"):
        raw = str(organisation["type"]).strip()
        codes = {code.lower(): code for code in ORG_TYPES}
        codes.update({label.lower(): code for code, label in ORG_TYPES.items()})
        codes.update(ORG_TYPE_ALIASES)
        line["organisation"] = {**organisation, "type": codes.get(raw.lower(), raw)}
    return line


def _import(corpus):
    """Import the corpus through Nanum's importer; return {practice id: corpus id}."""
    from sqlalchemy import select

    from nanum.extensions import db
    from nanum.organisations.models import Organisation
    from nanum.practices import transfer
    from nanum.practices.models import Practice

    lines = [(number, import_line(record)) for number, record in enumerate(corpus, start=1)]
    report = transfer.import_records(lines, skip_invalid=True)
    for number, reason in report.errors:
        print(f"  nanum: {corpus[number - 1]['id']} not imported: {reason}")
    by_name = {(r["organisation"]["name"].strip().lower(), r["title"].strip().lower()): r["id"]
               for r in corpus if isinstance(r.get("organisation"), dict)}
    rows = db.session.execute(select(Practice.id, Practice.title, Organisation.name)
                              .join(Organisation, Practice.organisation_id == Organisation.id))
    return {practice_id: by_name[(org.strip().lower(), title.strip().lower())]
            for practice_id, title, org in rows
            if (org.strip().lower(), title.strip().lower()) in by_name}


def nanum_app(folder, overrides):
    from nanum import create_app

    folder = Path(folder).resolve()  # SQLite paths must not be read relative to the instance
    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/nanum.sqlite",
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "SECRET_KEY": "bench",
        "SEARCH_APPLY": "indexer",  # the index is rebuilt once, after the import
        "SEARCH_REBUILD_PROCS": 1,  # documents in one order every time: ties rank the same
        **overrides,
    }, instance_path=folder)


def run_nanum(corpus, queries, options):
    """A fresh instance with the corpus imported, kept in `--out` and reused while the
    corpus is unchanged; the index is rebuilt when the settings change or on request."""
    return _run_nanum(corpus, queries, options, Path(options.out).resolve(),
                      options.nanum_settings)


def run_nanum_postgres(corpus, queries, options):
    """Nanum on PostgreSQL with the PostgreSQL search engine, in a throw-away cluster."""
    from nanum import pgcluster

    cluster = tempfile.mkdtemp(prefix="nanum-relevance-postgres-")
    try:
        url = pgcluster.start(cluster, durable=False)
        settings = {**options.nanum_settings, "SQLALCHEMY_DATABASE_URI": url,
                    "SEARCH_ENGINE": "postgres"}
        fresh = argparse.Namespace(**{**vars(options), "fresh": True})
        return _run_nanum(corpus, queries, fresh, Path(options.out).resolve() / "postgres",
                          settings)
    finally:
        pgcluster.remove(cluster)


def _run_nanum(corpus, queries, options, folder, overrides):
    from nanum.extensions import db
    from nanum.search import service

    state_path = folder / "state.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    digest = corpus_digest(corpus)
    fresh = options.fresh or state.get("corpus") != digest
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        state = {}
    app = nanum_app(folder, overrides)
    with app.app_context():
        if fresh:
            db.create_all()
            state["ids"] = _import(corpus)
            state["corpus"] = digest
            print(f"  nanum: imported {len(state['ids']):,} practices")
        ids = {int(key): value for key, value in state["ids"].items()}
        if fresh or options.rebuild_index or state.get("config") != overrides:
            count, seconds = service.rebuild()
            print(f"  nanum: index rebuilt, {count:,} documents in {seconds:.1f} s")
            state["config"] = overrides
        state_path.write_text(json.dumps(state))
        ranked = {q["id"]: [ids[i] for i in nanum_search(q["text"]) if i in ids]
                  for q in queries}
        db.session.remove()
        db.engine.dispose()
    return ranked


RUNNERS = {"fts5": run_fts5, "whoosh": run_whoosh, "tantivy": run_tantivy, "nanum": run_nanum,
           "nanum-postgres": run_nanum_postgres}
