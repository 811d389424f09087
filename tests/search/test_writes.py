"""The index writes what changed in what it stores, and each document once per change."""

import io
import json
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import inspect

from nanum.extensions import db
from nanum.practices import transfer
from nanum.search import documents, indexing, service


@pytest.fixture
def writes(app, monkeypatch):
    """Count the documents each index writer updates or deletes, by key."""
    written = Counter()
    backend = service.engine()
    real = backend.writing

    @contextmanager
    def counting(timeout=None):
        with real(timeout) as writer:
            class Counted:
                def update(self, document):
                    written[document["key"]] += 1
                    writer.update(document)

                def delete(self, key):
                    written[key] += 1
                    writer.delete(key)

                def more_follows(self):
                    writer.more_follows()

            yield Counted()

    monkeypatch.setattr(backend, "writing", counting)
    return written


def _record(number, organisation):
    return {"title": f"Borehole committee number {number}", "summary": "Wells kept running.",
            "kind": "case_study", "organisation": organisation, "countries": ["KE"],
            "targets": ["6.1"]}


def _import(records):
    stream = io.StringIO("".join(json.dumps(record) + "\n" for record in records))
    report = transfer.import_records(transfer.read_records(stream, "jsonl"))
    assert report.errors == []
    return report


def _index_holds_the_live_documents():
    assert service.engine().stats()["documents"] == service.indexable_count()
    assert service.check() == ([], [])


def test_importing_a_new_organisations_practices_writes_each_document_once(app, writes):
    service.sync()  # an empty index, built
    organisation = {"name": "Lakeside County", "type": "LRG", "country": "KE"}
    _import([_record(number, organisation) for number in range(12)])
    while service.apply_outbox(limit=5):  # several batches, as a large import needs
        pass
    assert len(writes) == 13  # twelve practices and their organisation
    assert set(writes.values()) == {1}
    _index_holds_the_live_documents()



def test_catching_up_writes_many_batches_in_one_commit_each_document_once(app, writes,
                                                                          monkeypatch):
    service.sync()  # an empty index, built
    commits = []
    real = service.engine().writing  # the counting writer

    @contextmanager
    def committing(timeout=None):
        with real(timeout) as writer:
            yield writer
        commits.append(1)

    monkeypatch.setattr(service.engine(), "writing", committing)
    monkeypatch.setattr(indexing, "BATCH", 5)
    monkeypatch.setattr(indexing, "SYNC_BATCHES", 3)
    organisation = {"name": "Lakeside County", "type": "LRG", "country": "KE"}
    _import([_record(number, organisation) for number in range(24)])
    assert service.pending() == 25
    assert service.sync() == 25
    # Three batches of five rows to a commit: 25 rows are two commits, not five.
    assert len(commits) == 2
    assert len(writes) == 25 and set(writes.values()) == {1}
    assert service.pending() == 0
    _index_holds_the_live_documents()


def test_a_backlog_in_several_commits_merges_segments_only_in_the_last(app, monkeypatch):
    from whoosh.writing import SegmentWriter

    from nanum.search.engines.whoosh import engine as whoosh_engine

    service.sync()  # an empty index, built
    merges = []
    real = SegmentWriter.commit

    def commit(writer, mergetype=None, optimize=None, merge=None):
        merges.append(merge)
        return real(writer, mergetype=mergetype, optimize=optimize, merge=merge)

    monkeypatch.setattr(SegmentWriter, "commit", commit)
    monkeypatch.setattr(whoosh_engine, "MAX_SEGMENTS", 1)  # every commit would merge
    monkeypatch.setattr(indexing, "BATCH", 5)
    monkeypatch.setattr(indexing, "SYNC_BATCHES", 2)
    organisation = {"name": "Lakeside County", "type": "LRG", "country": "KE"}
    _import([_record(number, organisation) for number in range(24)])
    assert service.sync() == 25
    assert merges == [False, False, True]  # ten, ten, then five rows
    _index_holds_the_live_documents()


def test_an_organisation_change_the_practices_do_not_carry_writes_only_its_own(app, make,
                                                                               writes):
    organisation = make.organisation(type="NRI")
    practices = [make.practice(organisation=organisation) for _ in range(3)]
    service.sync()
    writes.clear()
    organisation.description = "We now also train district engineers."
    organisation.cook()
    organisation.website = "https://example.org"
    db.session.commit()
    service.sync()
    assert dict(writes) == {f"organisation:{organisation.id}": 1}

    organisation.verified = True
    db.session.commit()
    service.sync()
    assert writes == Counter({f"organisation:{organisation.id}": 2,
                              **{f"practice:{practice.id}": 1 for practice in practices}})
    verified = service.search("", _filters(verified="yes"))
    assert (verified.total, verified.organisations_total) == (3, 1)  # organisations in a box


def test_a_practice_changed_with_its_organisation_is_written_once(app, make, writes):
    organisation = make.organisation(type="NRI")
    practices = [make.practice(organisation=organisation) for _ in range(6)]
    service.sync()
    writes.clear()
    organisation.type = "LRG"
    for practice in practices:
        practice.title += " (revised)"
    db.session.commit()
    while service.apply_outbox(limit=2):
        pass
    assert set(writes.values()) == {1} and len(writes) == 7
    assert service.search("revised", _filters(org_type="LRG")).total == 6


def test_the_organisation_fields_that_reindex_practices_are_those_their_documents_carry(
        app, make):
    """Changing any other column of an organisation leaves its practices' documents as they
    are: keep ORGANISATION_FIELDS_IN_PRACTICES in step with practice_document."""
    practice = make.practice(organisation=make.organisation(verified=False))
    organisation = practice.organisation
    before = documents.practice_document(practice)
    carried = set()
    with db.session.no_autoflush:
        for column in inspect(type(organisation)).column_attrs:
            name = column.key
            value = getattr(organisation, name)
            setattr(organisation, name, _another(value, name))
            if documents.practice_document(practice) != before:
                carried.add(name)
            setattr(organisation, name, value)
    db.session.rollback()
    assert carried == set(documents.ORGANISATION_FIELDS_IN_PRACTICES)


def _another(value, name):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return {"type": "LRG", "government_level": "municipal"}.get(name, 1)
    if isinstance(value, str):
        return {"type": "LRG", "country": "TZ"}.get(name, value + " changed")
    if isinstance(value, dict):
        return {}
    return value + timedelta(days=1)


def _filters(**values):
    from nanum.practices.browse import Filters

    return Filters.from_args(values)
