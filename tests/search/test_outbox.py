"""The database is the truth: committed changes reach the index, rolled-back ones never."""

from sqlalchemy import select

from nanum.extensions import db
from nanum.practices.models import PracticeTarget
from nanum.search import service
from nanum.search.models import SearchOutbox


def indexed():
    return service.engine().keys()


def waiting():
    return db.session.scalars(select(SearchOutbox.doc_key)).all()


def test_committed_practice_reaches_the_index(app, make):
    practice = make.practice(title="Rainwater tanks for schools")
    service.sync()
    assert f"practice:{practice.id}" in indexed()
    assert waiting() == []


def test_rolled_back_change_never_reaches_the_index(app, make):
    organisation = make.organisation()
    service.sync()
    before = indexed()
    practice = make.practice.build(organisation=organisation, title="Never committed")
    db.session.add(practice)
    db.session.flush()  # the outbox row is written in the transaction...
    assert waiting()
    db.session.rollback()  # ...and goes away with it
    assert waiting() == []
    service.sync()
    assert indexed() == before


def test_object_flushed_early_is_indexed_with_its_final_state(app, make):
    organisation = make.organisation()
    practice = make.practice.build(organisation=organisation, title="First title",
                                   status="draft", tagged={})
    db.session.add(practice)
    db.session.flush()  # flushed while still a draft
    practice.status = "published"
    practice.title = "Final title"
    db.session.add(PracticeTarget(practice_id=practice.id, target="6.1"))
    db.session.commit()
    service.sync()
    results = service.search("final", _filters())
    assert [hit.item.id for hit in results.hits] == [practice.id]
    assert service.search("first", _filters()).total == 0
    assert service.search("", _filters(target="6.1")).total == 1


def test_commit_without_apply_is_caught_up_by_the_next_writer(app, make):
    # A process that dies right after its commit leaves the change in the outbox.
    app.config["SEARCH_APPLY"] = "indexer"
    first = make.practice(title="Committed then crashed")
    assert f"practice:{first.id}" not in indexed()
    assert waiting()
    service.apply_outbox()  # whoever writes next applies what waits
    assert f"practice:{first.id}" in indexed()
    assert waiting() == []


def test_request_applies_its_own_changes(app, client, make, auth, post):
    writer = make.member(email="w@example.org")
    auth.login("w@example.org")
    organisation = writer.memberships[0].organisation
    post("/practices/new", {"organisation": organisation.id, "title": "Goat cooperative",
                            "summary": "Shared goats.", "kind": "case_study",
                            "countries": ["KE"], "targets": ["2.3"], "action": "submit"})
    results = service.search("goat", _filters())
    assert [hit.item.title for hit in results.hits] == ["Goat cooperative"]


def test_unpublishing_removes_from_the_index(app, make):
    practice = make.practice(title="Soon archived")
    service.sync()
    practice.status = "archived"
    db.session.commit()
    service.sync()
    assert f"practice:{practice.id}" not in indexed()


def test_organisation_type_change_reindexes_its_practices(app, make):
    organisation = make.organisation(type="NRI")
    make.practice(organisation=organisation, title="Type follows organisation")
    service.sync()
    assert service.search("", _filters(org_type="LRG")).total == 0
    organisation.type = "LRG"
    db.session.commit()
    service.sync()
    assert service.search("type follows", _filters(org_type="LRG")).total == 1


def test_busy_writer_leaves_changes_waiting(app, make):
    practice = make.practice(title="Waiting for the lock")
    held = service.engine().writing(timeout=1)
    with held:
        assert service.apply_outbox(timeout=0.1) == 0
        assert f"practice:{practice.id}" in waiting()
    service.sync()
    assert f"practice:{practice.id}" in indexed()


def _filters(**values):
    from nanum.practices.browse import Filters

    return Filters.from_args(values)


def test_a_later_rollback_keeps_an_earlier_commit_for_the_end_of_the_request(app, make):
    with app.test_request_context("/practices/new", method="POST"):
        practice = make.practice(title="Committed before a failed step")
        db.session.add(make.organisation.build())  # a later step that fails
        db.session.flush()
        db.session.rollback()
        app.do_teardown_request()
    assert f"practice:{practice.id}" in indexed()
