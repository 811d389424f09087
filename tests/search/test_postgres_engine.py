"""What is particular to the PostgreSQL engine: it reads plans exactly as the memory engine
does (matching and ranking), user text never becomes tsquery syntax, and changes are
searchable in the transaction that makes them."""

import random
import re
from datetime import datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import event, text

from nanum.extensions import db
from nanum.practices.browse import Filters
from nanum.search import engines, outbox, service
from nanum.search.engines.memory import MemoryEngine
from nanum.search.engines.postgres import (
    PostgresEngine,
    facets,
    group_sets,
    pruning,
    reading,
    schema,
    writing,
)
from nanum.search.engines.postgres.translate import Conditions
from nanum.search.planning import plan as make_plan
from nanum.search.planning import prepare
from nanum.search.query import Field, parse
from nanum.search.ranking import Ranking

WORDS = ("water flood river school farmer solar pump budget ward council clinic market "
         "bridge road waste compost forest seed loan youth women data portal tariff well "
         "drought rain storage cooperative nurse teacher").split()

HOSTILE = ["'&|!():*<->\\", "water' | 'flood", "water:* & !", "<-> water <2>", "'", "\\",
           "!!water", "(((((", "water&flood|river", "wat*", "wa'ter*", "ß:*", "x" * 3000,
           " ".join(random.Random(1).choices(WORDS, k=400)), "water " * 300 + "\\'"]

QUERIES = ["water", "flood river", "solar pump budget", '"solar pump"', "water -flood",
           "water OR drought", "farmer AND loan", "wat*", "school teacher nurse",
           "sdg:6 water", "country:KE flood", "year:2019..2021 river",
           "council ward budget youth women", "compost seed forest well",
           'river "solar pump" budget', '"school teacher" OR flood', "wat* river",
           # Every part required, some left out: from the postings' index alone.
           "farmer AND loan -water", "water AND zzzabsent", "water -zzzabsent",
           "zzzabsent -water", '"solar pump" AND budget', "water flood -river",
           '"solar pump" river -flood', "school AND (teacher OR nurse) -\"solar pump\"",
           "farmer AND loan country:KE -water", "sdg:6 -water", "country:UG year:2016..2019 -rain",
           "country:KE zzzabsent"]


def corpus(count=120, seed=3):
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        content = rng.choice(["practice"] * 6 + ["post", "organisation"])
        documents.append({
            "key": f"{content}:{number}", "content": content,
            "title": " ".join(rng.choices(WORDS, k=rng.randint(2, 6))),
            "summary": " ".join(rng.choices(WORDS, k=rng.randint(0, 20))),
            "body": " ".join(rng.choices(WORDS, k=rng.randint(5, 120))),
            "about": " ".join(rng.choices(WORDS, k=rng.randint(0, 5))),
            "spell": "cooperative drought tariff",
            "goal": sorted({str(rng.randint(1, 17)) for _ in range(2)}),
            "country": [rng.choice(["KE", "UG", "CO"])],
            "year": [str(rng.randint(2015, 2024))],
            "published": datetime(2020, 1 + number % 12, 1 + number % 28, number % 24),
            "discussed": rng.randint(0, 5)})
    return documents


@pytest.fixture
def pair(postgres_engine):
    """The PostgreSQL engine and the memory engine, holding the same documents."""
    memory = MemoryEngine()
    documents = corpus()
    memory.rebuild(documents, stamp="s")
    postgres_engine.rebuild(documents, stamp="s")
    return postgres_engine, memory


def planned(q, **options):
    return make_plan(prepare(parse(q)), **options)


@pytest.fixture(params=["in SQL", "from the facet table"])
def counting(request, monkeypatch):
    """Facets counted in SQL (few documents found), or from the facet table (many)."""
    if request.param != "in SQL":
        monkeypatch.setattr(reading, "COUNTED_IN_SQL", 0)
    return request.param


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "newest", "discussed"])
def test_every_plan_is_read_as_the_memory_engine_reads_it(pair, q, sort, counting):
    postgres, memory = pair
    for offset in (0, 10):
        wanted = memory.match(planned(q, sort=sort, offset=offset, limit=10))
        found = postgres.match(planned(q, sort=sort, offset=offset, limit=10))
        assert (found.total, found.all_groups, found.keys) == (
            wanted.total, wanted.all_groups, wanted.keys)
        assert {name: counts for name, counts in found.facets.items() if counts} == {
            name: counts for name, counts in wanted.facets.items() if counts}


@pytest.mark.parametrize("q", QUERIES)
def test_a_shortlist_ranks_as_every_document_when_its_bound_is_the_score(pair, q):
    # Without length normalisation (b = 0) the shortlist's order is the score's, so the
    # best candidates hold the best pages.
    postgres, memory = pair
    postgres.ranking = memory.ranking = Ranking(b=0.0)
    postgres.candidates = 40
    for offset in (0, 10):
        wanted = memory.match(planned(q, offset=offset, limit=10))
        found = postgres.match(planned(q, offset=offset, limit=10))
        assert (found.total, found.all_groups, found.keys) == (
            wanted.total, wanted.all_groups, wanted.keys)


def test_only_the_shortlist_is_ranked_in_full(postgres_engine):
    def document(key, title, body):
        return {"key": key, "content": "practice", "title": title, "body": body,
                "published": datetime(2020, 1, 1)}

    # "short" ranks first by BM25F (a short text); "long" holds the word most often.
    postgres_engine.rebuild([document("practice:short", "water", "water " * 4),
                             document("practice:long", "dam", "water " * 20 + "pump " * 6000)])
    postgres_engine.candidates = 0
    assert postgres_engine.match(planned("water", limit=1)).keys == ["practice:short"]
    postgres_engine.candidates = 1
    assert postgres_engine.match(planned("water", limit=1)).keys == ["practice:long"]
    # A page the shortlist cannot fill is ranked from every document found.
    assert postgres_engine.match(planned("water", limit=2)).keys == [
        "practice:short", "practice:long"]


@pytest.mark.parametrize("q", HOSTILE)
def test_user_text_never_becomes_tsquery_syntax(pair, q):
    postgres, memory = pair
    prepared = prepare(parse(q))
    if prepared.node is None:
        return
    wanted = memory.match(make_plan(prepared, limit=50))
    found = postgres.match(make_plan(prepared, limit=50))
    assert (found.total, sorted(found.keys)) == (wanted.total, sorted(wanted.keys))


def test_spelling_similar_and_unknown_words(pair):
    postgres, memory = pair
    assert postgres.suggest("drougth") == memory.suggest("drougth") == "drought"
    assert postgres.suggest("xq") is None
    assert postgres.unknown_words(["water", "zebra", "the"]) == ["zebra"]
    text_ = "solar pump farmer cooperative budget"
    assert postgres.closest(text_, 3) and all(
        key.startswith("practice:") for key, _score in postgres.closest(text_, 10))
    assert "practice:0" not in postgres.similar("practice:0", text_, 10)


def test_words_are_also_stemmed_in_the_language_of_their_document(postgres_engine):
    def plural(number, language):
        return {**corpus(1)[0], "key": f"practice:{number}", "title": "Las políticas públicas",
                "summary": "", "body": "", "about": "", "language": language}

    with postgres_engine.writing() as writer:
        writer.update(plural(1, "es"))
        writer.update(plural(2, "en"))
    # Spanish stems "políticas" and "político" alike; English does not.
    assert postgres_engine.match(planned("político")).keys == ["practice:1"]
    assert postgres_engine.match(planned('"político público"')).keys == ["practice:1"]
    assert postgres_engine.match(planned("políticas")).total == 2
    with postgres_engine.writing() as writer:
        writer.update(plural(1, "en"))  # the language changed: its stems go
    assert postgres_engine.match(planned("político")).total == 0


def test_the_migrations_make_the_tables_the_engine_makes():
    folder = Path(__file__).parents[2] / "migrations"
    wanted = {path.name for path in folder.glob("versions/*_postgresql_search_*.py")}
    history = reversed(list(ScriptDirectory(str(folder)).walk_revisions()))
    chain = [script.module for script in history if Path(script.path).name in wanted]
    assert len(chain) == len(wanted)

    def normal(statement):
        statement = re.sub(r"\s+", " ", statement.replace("IF NOT EXISTS ", "")).strip()
        return statement.replace("( ", "(").replace(" )", ")")

    assert [normal(s) for migration in chain for s in migration.UPGRADE] == [
        normal(s) for s in schema.DDL]


def test_the_engine_needs_the_database_on_postgresql(tmp_path):
    with pytest.raises(ValueError, match="PostgreSQL"):
        engines.create({"SEARCH_ENGINE": "postgres",
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


# -- in the application's transactions ------------------------------------------------------

@pytest.fixture
def config(config, empty_postgres):
    # No indexer and no inline apply: only the transaction itself can make changes searchable.
    return {**config, "SQLALCHEMY_DATABASE_URI": empty_postgres, "SEARCH_ENGINE": "postgres",
            "SEARCH_APPLY": "indexer"}


def titles(q):
    return [hit.item.title for hit in service.search(q, Filters.from_args({})).hits]


def test_a_change_is_searchable_when_it_commits_and_never_before(app, make):
    service.rebuild()
    assert isinstance(service.engine(), PostgresEngine)
    practice = make.practice(title="Rainwater cisterns for clinics")
    assert titles("cisterns") == ["Rainwater cisterns for clinics"]
    assert outbox.count(db.session) == 0

    practice.title = "Rainwater tanks for clinics"
    db.session.flush()
    with db.engine.connect() as other:  # another connection sees only what is committed
        assert other.execute(text("SELECT count(*) FROM search_documents "
                                  "WHERE tsv @@ CAST('''tank''' AS tsquery)")).scalar() == 0
    db.session.commit()
    assert titles("tanks") == ["Rainwater tanks for clinics"] and titles("cisterns") == []


def test_a_rolled_back_change_leaves_the_search_tables_as_they_were(app, make):
    service.rebuild()
    practice = make.practice(title="Seed banks for farmers")
    practice.title = "Grain stores for farmers"
    db.session.flush()
    db.session.rollback()
    assert titles("grain") == [] and titles("seed") == ["Seed banks for farmers"]
    assert service.engine().keys() == {f"practice:{practice.id}",
                                       f"organisation:{practice.organisation_id}"}


def goal_counts(engine):
    return engine.match(planned("water")).facets["goal"]


def test_facet_counts_follow_each_change(pair, counting):
    postgres, memory = pair
    before = goal_counts(postgres)
    document = {**corpus(1)[0], "key": "practice:new", "title": "water", "goal": ["17"]}
    with postgres.writing() as writer:
        writer.update(document)
    assert goal_counts(postgres) == {**before, "17": before.get("17", 0) + 1}
    with postgres.writing() as writer:
        writer.delete("practice:new")
    assert goal_counts(postgres) == before


def test_a_change_reads_the_facets_of_the_changed_documents_alone(pair, monkeypatch):
    monkeypatch.setattr(reading, "COUNTED_IN_SQL", 0)
    postgres, memory = pair
    reads = []
    original = facets.FacetTable.__init__
    monkeypatch.setattr(facets.FacetTable, "__init__",
                        lambda self, *args: reads.append(1) or original(self, *args))
    before = goal_counts(postgres)
    moved = {**corpus()[5], "goal": ["17"], "title": "water"}  # its goals change
    with postgres.writing() as writer:
        writer.update(moved)
    memory.rebuild([moved if d["key"] == moved["key"] else d for d in corpus()], stamp="s")
    assert goal_counts(postgres) == goal_counts(memory) != before
    assert len(reads) == 1  # read once, then brought up to date
    postgres.rebuild(corpus(60, seed=4), stamp="t")  # numbered afresh: read again
    memory.rebuild(corpus(60, seed=4), stamp="t")
    assert goal_counts(postgres) == goal_counts(memory)
    assert len(reads) == 2


def test_facets_read_while_a_change_is_uncommitted_are_not_kept(pair, monkeypatch):
    monkeypatch.setattr(reading, "COUNTED_IN_SQL", 0)
    postgres, _memory = pair
    before = goal_counts(postgres)
    document = {**corpus(1)[0], "key": "practice:new", "title": "water", "goal": ["17"]}
    with postgres.bind.connect() as other:
        transaction = other.begin()
        writing.lock_for_writing(other)
        writing.apply(other, [document], [])  # the generation is bumped, not yet committed
        assert goal_counts(postgres) == before
        transaction.commit()
    assert goal_counts(postgres)["17"] == before.get("17", 0) + 1


PLAIN = ["water", "flood river", "water OR drought", "water -flood", "farmer AND loan",
         "farmer AND loan -water -river", "water flood -river", "water AND zzzabsent",
         "zzzabsent -water", "sdg:6 water", "loan country:KE"]


@pytest.mark.parametrize("q", [*PLAIN, "wat*", '"solar pump"', '"solar pump" AND budget',
                               '"solar pump" budget', 'river flood -"solar pump"'])
def test_a_list_without_some_contents_is_read_as_the_memory_engine_reads_it(pair, q,
                                                                           counting):
    # The search page's main list leaves organisations (and events) out: on the
    # postings' path, their few documents are taken from the words' postings.
    postgres, memory = pair
    if q in PLAIN:  # plain words, any or all of them, some left out: from their postings
        assert Conditions().ids(service._without_boxed(prepare(parse(q)).node)) is not None
    for offset in (0, 10):
        plans = [planned(q, offset=offset, limit=10) for _engine in (memory, postgres)]
        for plan in plans:
            plan.node = service._without_boxed(plan.node)
        wanted, found = memory.match(plans[0]), postgres.match(plans[1])
        assert found.total or "zzzabsent" in q  # a word absent from the index finds none
        assert not any(key.startswith("organisation:") for key in found.keys)
        assert (found.total, found.all_groups, found.keys) == (
            wanted.total, wanted.all_groups, wanted.keys)
        assert {name: counts for name, counts in found.facets.items() if counts} == {
            name: counts for name, counts in wanted.facets.items() if counts}


@pytest.mark.parametrize("q", ["farmer AND loan", "water -flood", "water flood -river",
                               "water AND zzzabsent", '"solar pump" AND budget'])
@pytest.mark.parametrize("filters", [[Field("country", "KE")],
                                     [Field("country", "UG"), Field("year", (2016, 2019))]])
def test_words_all_required_or_left_out_with_filters_read_as_the_memory_engine(
        pair, q, filters, counting):
    postgres, memory = pair
    for offset in (0, 10):
        wanted, found = (engine.match(planned(q, filters=filters, offset=offset, limit=10))
                         for engine in (memory, postgres))
        assert (found.total, found.all_groups, found.keys) == (
            wanted.total, wanted.all_groups, wanted.keys)
        assert {name: counts for name, counts in found.facets.items() if counts} == {
            name: counts for name, counts in wanted.facets.items() if counts}


@pytest.mark.parametrize("q", ['river "solar pump" budget', "water flood -river"])
def test_a_search_of_optional_groups_reads_each_group_once(pair, q):
    # Each group's ids are read once (a phrase's by its GIN index, once); the documents
    # found, how many match every group and a phrase's coverage come from them.
    postgres, memory = pair
    plan = planned(q)
    plan.node = service._without_boxed(plan.node)
    assert group_sets.found(Conditions(), plan) is not None
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(postgres.bind, "before_cursor_execute", listener)
    try:
        found = postgres.match(plan)
    finally:
        event.remove(postgres.bind, "before_cursor_execute", listener)
    read = next(statement for statement in statements if "group_0" in statement)
    # One look at a document's words per group or word left out: a plain word's is for
    # the documents stemmed in their own language that lack its term.
    assert read.count("tsv @@") == len(plan.groups) + q.count(" -")
    wanted = memory.match(plan)
    assert wanted.all_groups
    assert (found.total, found.all_groups, found.keys) == (
        wanted.total, wanted.all_groups, wanted.keys)


@pytest.mark.parametrize("q", QUERIES)
def test_documents_found_rank_alike_by_their_postings_looked_up_or_read_whole(pair, q,
                                                                            monkeypatch):
    # Few documents found: each one's postings are looked up; many: the terms' postings
    # are read whole and joined. Either way the memory engine's order.
    postgres, memory = pair
    postgres.candidates = 0
    for looked_up in (0, 10_000):
        monkeypatch.setattr(reading, "LOOKED_UP", looked_up)
        for offset in (0, 10):
            wanted = memory.match(planned(q, offset=offset, limit=10))
            found = postgres.match(planned(q, offset=offset, limit=10))
            assert (found.total, found.all_groups, found.keys) == (
                wanted.total, wanted.all_groups, wanted.keys)


def common_and_rare(count=150, seed=5):
    """Documents where "water" and "road" are in nearly every one, "vetiver" and "tariff" in
    few, many times: the common words' postings need not all be read for a shortlist."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        rare = rng.choice(["vetiver", "tariff", ""]) if number % 4 == 0 else ""
        documents.append({
            "key": f"practice:{number}", "content": "practice",
            "title": " ".join([rare] * rng.randint(0, 3) + rng.choices(WORDS, k=3)),
            "body": " ".join(["water"] * rng.randint(1, 4) + ["road"] * rng.randint(0, 2)
                             + [rare] * rng.randint(0, 5) + rng.choices(WORDS, k=30)),
            "published": datetime(2020, 1 + number % 12, 1 + number % 28, number % 24)})
    return documents


@pytest.mark.parametrize("q", ["vetiver water", "water road vetiver", "tariff vetiver water",
                               "water road", "vetiver tariff", "vetiver wat*",
                               "water road farmer tariff"])
@pytest.mark.parametrize("coordination", [0.5, 0.0])
def test_a_shortlist_leaving_out_common_words_holds_the_same_documents(
        postgres_engine, monkeypatch, q, coordination):
    memory = MemoryEngine()
    documents = common_and_rare()
    memory.rebuild(documents, stamp="s")
    postgres_engine.rebuild(documents, stamp="s")
    postgres_engine.ranking = memory.ranking = Ranking(b=0.0, coordination=coordination)
    postgres_engine.candidates = 8
    pages = []
    for worth in (pruning.WORTH, 2.0):  # 2.0: every posting is added up
        monkeypatch.setattr(pruning, "WORTH", worth)
        pages.append([postgres_engine.match(planned(q, offset=offset, limit=4)).keys
                      for offset in (0, 4)])
    assert pages[0] == pages[1]
    # Ties at the shortlist's end are broken by the documents' numbers, not their keys:
    # only the first page is sure to be the memory engine's.
    assert pages[0][0] == memory.match(planned(q, limit=4)).keys


def test_the_shortlist_leaves_out_the_common_words_only_when_they_hold_most_postings():
    ranking = Ranking(b=0.0)
    weights = [("title", 1.0, 3.0), ("body", 1.0, 1.0)]
    params = []

    def bind(value):
        params.append(value)
        return f":p{len(params)}"

    def top(frequencies):
        terms = list(frequencies)
        return pruning.top(bind, ranking, terms, dict.fromkeys(terms, 1.0), {}, frequencies,
                           dict.fromkeys(terms, (1, 0, 1, 0)), weights, 10, "BEST")

    assert top({"water": 5000, "vetiver": 40}) != "BEST LIMIT 10"
    assert "pruning" in top({"water": 5000, "vetiver": 40})
    # Looking the common word up in every document of the rarer would cost more.
    assert top({"water": 5000, "road": 4000}) == "BEST LIMIT 10"
    assert top({"vetiver": 5, "tariff": 6, "water": 10}) == "BEST LIMIT 10"  # too few left
    assert top({"vetiver": 4, "tariff": 3}) == "BEST LIMIT 10"  # nothing is left out
    assert top({"water": 5000}) == "BEST LIMIT 10"
