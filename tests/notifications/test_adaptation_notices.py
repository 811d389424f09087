"""The authors of a practice hear, once, that an organisation published an adaptation of it."""

from nanum.practices import services as practices
from nanum.practices import signals
from nanum.review import services as review


def _original(make, helpers):
    author = make.member()
    organisation = author.memberships[0].organisation
    colleague, applicant = make.user(), make.user()
    make.membership(user=colleague, organisation=organisation)
    make.membership(user=applicant, organisation=organisation, status="pending")
    original = helpers.publish(author, title="Storm-surge flags")
    return original, author, colleague, applicant


def test_publishing_an_adaptation_tells_the_original_authors_once(make, helpers):
    original, author, colleague, applicant = _original(make, helpers)
    adapter = make.member(name="Ada Adapter")
    adaptation = helpers.publish(adapter, title="Church bells for surge warnings",
                                 adapted_from=str(original.id),
                                 adaptation_changes="Bells instead of flags.")
    for person in (author, colleague):
        [note] = [n for n in helpers.notes(person) if n.kind == "adapted"]
        assert note.message == (f"{adaptation.organisation.name} adapted your practice "
                                "“Storm-surge flags”")
        assert note.url.endswith(f"/practices/{adaptation.id}")
        assert note.excerpt == "Bells instead of flags."
    assert "adapted" not in helpers.kinds(applicant) + helpers.kinds(adapter)

    # Published again (as a restored practice is) or edited: nobody hears of it twice.
    signals.practice_published.send(adaptation)
    practices.update(adapter, adaptation, {**practices.form_values(adaptation),
                                           "summary": "A longer summary."}, action="save")
    assert helpers.kinds(author).count("adapted") == 1


def test_a_draft_adaptation_tells_nobody_until_it_is_published(app, make, helpers):
    original, author, _colleague, _applicant = _original(make, helpers)
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    adapter = make.member()
    fields = {"title": "Bells", "kind": "case_study", "summary": "Bells ring.",
              "countries": ["UG"], "targets": ["11.5"], "adapted_from": str(original.id)}
    adaptation = practices.create(adapter, adapter.memberships[0].organisation_id, fields,
                                  action="draft")
    practices.update(adapter, adaptation, {**practices.form_values(adaptation)},
                     action="submit")
    assert adaptation.status == "submitted"
    assert "adapted" not in helpers.kinds(author)
    review.decide(make.user(role="moderator"), adaptation.id, "approve")
    assert helpers.kinds(author).count("adapted") == 1


def test_a_published_practice_that_names_its_original_tells_its_authors(make, helpers):
    original, author, _colleague, _applicant = _original(make, helpers)
    adapter = make.member()
    practice = helpers.publish(adapter, title="Our own flags")
    assert "adapted" not in helpers.kinds(author)
    practices.update(adapter, practice, {**practices.form_values(practice),
                                         "adapted_from": str(original.id)})
    assert helpers.kinds(author).count("adapted") == 1
