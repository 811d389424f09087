import pytest
from sqlalchemy import func, select

from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.practices import services
from nanum.practices.models import Practice, Revision

FIELDS = {"title": "Community flood wardens", "summary": "Volunteers watch the river.",
          "kind": "case_study", "countries": ["KE"], "targets": ["11.5", "13.1"],
          "themes": ["drr_resilience"], "tags": "floods, volunteers",
          "context": "The river floods **twice** a year."}


def count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_member_creates_draft_with_first_revision(app, make):
    author = make.member()
    organisation_id = author.memberships[0].organisation_id
    practice = services.create(author, organisation_id, FIELDS, action="draft")
    assert practice.status == "draft" and practice.published_at is None
    assert practice.goal_numbers == [11, 13]
    assert practice.target_keys == ["11.5", "13.1"]
    assert practice.author == author
    [revision] = practice.revisions
    assert revision.action == "created" and revision.user == author
    assert revision.changes["title"] == [None, "Community flood wardens"]


def test_submit_publishes_when_the_policy_says_so(app, make):
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS,
                               action="submit")
    assert practice.status == "published" and practice.published_at is not None


def test_submit_waits_for_review_when_every_submission_is_reviewed(app, make):
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS,
                               action="submit")
    assert practice.status == "submitted"


def test_only_members_post_for_an_organisation(app, make):
    outsider = make.user()
    organisation = make.organisation()
    with pytest.raises(Forbidden):
        services.create(outsider, organisation.id, FIELDS)
    pending = make.user()
    make.membership(user=pending, organisation=organisation, status="pending")
    with pytest.raises(Forbidden):
        services.create(pending, organisation.id, FIELDS)
    assert count(Practice) == 0


def test_incomplete_submission_saves_nothing(app, make):
    author = make.member()
    with pytest.raises(Invalid) as caught:
        services.create(author, author.memberships[0].organisation_id,
                        {"title": "Only a title", "kind": "research"}, action="submit")
    assert "summary" in caught.value.errors
    assert count(Practice) == 0 and count(Revision) == 0


def test_edit_keeps_a_revision_of_what_changed(app, make):
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS,
                               action="submit")
    colleague = make.member(practice.organisation)
    services.update(colleague, practice, {**FIELDS, "title": "Neighbourhood flood wardens",
                                          "targets": ["11.5"]})
    latest = services.history(practice)[0]
    assert latest.user == colleague and latest.action == "edited"
    assert latest.changes["title"] == ["Community flood wardens", "Neighbourhood flood wardens"]
    assert latest.changes["targets"] == [["11.5", "13.1"], ["11.5"]]
    assert "summary" not in latest.changes
    assert practice.goal_numbers == [11]


def test_a_revision_is_named_by_what_it_did(app, make):
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS)
    services.update(author, practice, FIELDS, action="submit")
    assert services.history(practice)[0].action == "published"
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    draft = services.create(author, author.memberships[0].organisation_id, FIELDS)
    services.update(author, draft, FIELDS, action="submit")
    assert services.history(draft)[0].action == "submitted"
    services.update(author, draft, {**FIELDS, "title": "Flood wardens"}, action="submit")
    assert services.history(draft)[0].action == "edited"


def test_saving_without_changes_adds_no_revision(app, make):
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS)
    services.update(author, practice, FIELDS)
    assert count(Revision) == 1


def test_someone_elses_practice_cannot_be_edited(app, make):
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS)
    stranger = make.member()
    with pytest.raises(Forbidden):
        services.update(stranger, practice, {**FIELDS, "title": "Hijacked title"})
    db.session.refresh(practice)
    assert practice.title == "Community flood wardens"
    moderator = make.user(role="moderator")
    services.update(moderator, practice, {**FIELDS, "title": "Tidied by a moderator"})
    assert practice.title == "Tidied by a moderator"


def test_published_practice_cannot_lose_required_fields(app, make):
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS,
                               action="submit")
    with pytest.raises(Invalid):
        services.update(author, practice, {**FIELDS, "countries": []})
    db.session.refresh(practice)
    assert practice.country_codes == ["KE"]


def test_drafts_are_hidden_from_others(app, make):
    author = make.member()
    practice = services.create(author, author.memberships[0].organisation_id, FIELDS)
    assert services.get(practice.id, author) == practice
    with pytest.raises(NotFound):
        services.get(practice.id, make.user())
    with pytest.raises(NotFound):
        services.get(practice.id, None)
    assert services.get(practice.id, make.user(role="moderator")) == practice


def test_partners_must_exist_and_exclude_the_owner(app, make):
    author = make.member()
    own_id = author.memberships[0].organisation_id
    partner = make.organisation(name="Partner Institute")
    practice = services.create(author, own_id, {**FIELDS, "partners": [str(partner.id),
                                                                        str(own_id)]})
    assert practice.partner_organisations == [partner]
    with pytest.raises(Invalid):
        services.create(author, own_id, {**FIELDS, "partners": ["9999"]})


def test_preview_builds_without_saving(app):
    practice = services.preview(FIELDS)
    assert practice.title == FIELDS["title"] and practice.goal_numbers == [11, 13]
    assert count(Practice) == 0
