from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from nanum.board import introductions, matching, services
from nanum.board.models import BoardMatch, BoardPost, Introduction
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.notifications.models import Notification

from .conftest import NEED, OFFER, in_days


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def notes_of(user):
    return db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id).order_by(Notification.id)).all()


def test_a_need_and_an_offer_match_with_their_reasons(sides, make):
    town, institute, planner, researcher = sides
    colleague = make.member(institute, name="Cam Colleague")
    need = services.create(planner, town.id, {**NEED, "end_date": in_days(60)})
    offer = services.create(researcher, institute.id, {**OFFER, "end_date": in_days(90)})
    assert need.status == "published" and "<strong>flood</strong>" in need.html("description")
    [(match, other)] = matching.matches_of(need, today=services.today())
    assert other.id == offer.id and match.is_good
    assert matching.explain(match.reasons) == (
        "both on 11.5 · Eastern Africa · English · Population: 10,000 – 50,000")
    # Both sides hear of the new good match, once; who posted it sees it on the page.
    assert any("A good match for “We need help costing" in m for m in notes_of(planner))
    assert any("A good match for “We cost early-warning" in m for m in notes_of(colleague))
    assert notes_of(researcher) == []
    services.update(planner, need, {**NEED, "end_date": in_days(61)})
    assert len([m for m in notes_of(colleague) if "good match" in m]) == 1
    assert count(BoardMatch) == 1


def test_posts_on_other_goals_are_not_candidates(sides, make):
    town, institute, planner, researcher = sides
    need = services.create(planner, town.id, {**NEED, "end_date": in_days(60)})
    services.create(researcher, institute.id, {**OFFER, "targets": "4.1",
                                               "end_date": in_days(60)})
    assert matching.matches_of(need, today=services.today()) == []
    assert count(BoardMatch) == 0


def _selects_of_recompute(post):
    statements = []

    def note(_connection, _cursor, statement, *_args):
        statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        matching.recompute(post, services.today())
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    db.session.rollback()
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def test_matching_reads_a_fixed_number_of_queries_whatever_the_candidates(sides):
    town, institute, planner, researcher = sides
    need = services.create(planner, town.id, {**NEED, "end_date": in_days(60)})

    def post_offers(first, last):
        for number in range(first, last):
            services.create(researcher, institute.id, {
                **OFFER, "title": f"Offer number {number}", "end_date": in_days(30)})

    post_offers(0, 2)
    few = _selects_of_recompute(need)
    post_offers(2, 14)
    many = _selects_of_recompute(need)
    assert count(BoardMatch, BoardMatch.need_id == need.id) == 14
    assert len(many) == len(few)


def test_unverified_organisations_wait_for_a_moderator(sides, make):
    town, institute, planner, researcher = sides
    institute.verified = False
    db.session.commit()
    need = services.create(planner, town.id, {**NEED, "end_date": in_days(60)})
    offer = services.create(researcher, institute.id, {**OFFER, "end_date": in_days(60)})
    assert offer.status == "pending" and matching.matches_of(need, today=services.today()) == []
    with pytest.raises(NotFound):
        services.get(offer.id, planner)
    moderator = make.user(role="moderator")
    with pytest.raises(Forbidden):
        services.decide(planner, offer, "publish")
    services.decide(moderator, offer, "publish")
    assert offer.status == "published"
    assert len(matching.matches_of(need, today=services.today())) == 1


@pytest.mark.parametrize("change, field", [
    ({"targets": "99.9"}, "targets"), ({"targets": ""}, "targets"),
    ({"countries": "XX"}, "countries"), ({"languages": "klingon"}, "languages"),
    ({"end_date": "2020-01-01"}, "end_date"), ({"end_date": "soon"}, "end_date"),
    ({"kind": "wish"}, "kind"), ({"title": "x"}, "title"),
    ({"population_band": "huge"}, "population_band")])
def test_bad_fields_are_refused_and_nothing_is_saved(sides, change, field):
    town, _institute, planner, _researcher = sides
    with pytest.raises(Invalid) as refused:
        services.create(planner, town.id, {**NEED, "end_date": in_days(10), **change})
    assert field in refused.value.errors
    assert count(BoardPost) == 0


def test_only_the_owning_organisation_edits(matched, sides, make):
    need, _offer = matched
    _town, _institute, _planner, researcher = sides
    with pytest.raises(Forbidden):
        services.update(researcher, need, {**NEED, "title": "Taken over",
                                           "end_date": in_days(20)})
    db.session.rollback()
    assert db.session.get(BoardPost, need.id).title == NEED["title"]
    moderator = make.user(role="moderator")
    services.update(moderator, need, {**NEED, "title": "Tidied by a moderator",
                                      "end_date": in_days(20)})
    assert need.title == "Tidied by a moderator"


def test_only_members_post_for_an_organisation(sides):
    town, _institute, _planner, researcher = sides
    with pytest.raises(Forbidden):
        services.create(researcher, town.id, {**NEED, "end_date": in_days(10)})
    assert count(BoardPost) == 0


def test_listing_filters_and_hides_expired_posts(matched, sides):
    need, offer = matched
    assert {p.id for p in services.listing().items} == {need.id, offer.id}
    assert [p.id for p in services.listing(kind="offer").items] == [offer.id]
    assert [p.id for p in services.listing(target="13.1").items] == [need.id]
    assert {p.id for p in services.listing(goal=11).items} == {need.id, offer.id}
    assert [p.id for p in services.listing(region="Eastern Africa", language="sw").items] == [
        need.id]
    assert services.listing(region="South America").items == []
    need.end_date = services.today() - timedelta(days=1)
    db.session.commit()
    assert [p.id for p in services.listing().items] == [offer.id]


def test_introduction_accepted_shares_contacts_and_tells_both(matched, sides, make):
    need, _offer = matched
    _town, _institute, planner, researcher = sides
    [(match, _other)] = matching.matches_of(need, today=services.today())
    outsider = make.member(name="Olu Outsider")
    with pytest.raises(Forbidden):
        introductions.send(outsider, match.id, "We would like to join in, please.")
    with pytest.raises(Invalid):
        introductions.send(planner, match.id, "hi")
    assert count(Introduction) == 0
    introduction = introductions.send(planner, match.id, "Could we talk about costing gauges?")
    assert any("Town of Mvua would like an introduction" in m for m in notes_of(researcher))
    with pytest.raises(NotFound):
        introductions.get(outsider, introduction.id)
    with pytest.raises(Forbidden):
        introductions.answer(planner, introduction.id, "accept")
    introductions.answer(researcher, introduction.id, "accept")
    assert introduction.status == "accepted"
    assert any("Institute of Rains accepted your introduction" in m for m in notes_of(planner))
    with pytest.raises(Invalid):
        introductions.answer(researcher, introduction.id, "decline")


def test_a_formed_partnership_is_marked_and_linked_to_its_practice(matched, sides, make):
    need, _offer = matched
    town, _institute, planner, researcher = sides
    [(match, _other)] = matching.matches_of(need, today=services.today())
    with pytest.raises(Invalid):
        introductions.mark_formed(planner, match.id)
    outsider = make.member(name="Olu Outsider")
    introduction = introductions.send(researcher, match.id, "We could cost it with you.")
    introductions.answer(planner, introduction.id, "accept")
    practice = make.practice(organisation=town, title="Costing our warning system")
    draft = make.practice(organisation=town, status="draft", published_at=None)
    with pytest.raises(Invalid):
        introductions.mark_formed(planner, match.id, draft.id)
    with pytest.raises(Forbidden):
        introductions.mark_formed(outsider, match.id, practice.id)
    assert db.session.get(BoardMatch, match.id).formed_at is None
    introductions.mark_formed(planner, match.id, practice.id)
    assert match.formed_at is not None and match.practice_id == practice.id
    # A formed match stays when the post changes so that it no longer matches.
    services.update(planner, need, {**NEED, "targets": "4.1", "end_date": in_days(30)})
    assert db.session.get(BoardMatch, match.id) is not None


def test_a_board_post_can_be_flagged_and_hidden(matched, sides, make):
    from nanum.flags import actions
    from nanum.flags import services as flags

    need, _offer = matched
    _town, _institute, _planner, researcher = sides
    entry = flags.flag(researcher, "board_post", need.id, "spam")
    moderator = make.user(role="moderator")
    actions.decide(moderator, entry, "hide", "spam")
    assert db.session.get(BoardPost, need.id).hidden
    assert services.listing().items and need.id not in {p.id for p in services.listing().items}


def test_a_merged_organisation_hands_over_its_posts(matched, sides, make):
    from nanum.organisations import merging

    need, _offer = matched
    town, _institute, _planner, _researcher = sides
    survivor = make.organisation(name="Greater Mvua", type="LRG", country="KE")
    merging.merge(make.user(role="moderator"), town, survivor)
    assert db.session.get(BoardPost, need.id).organisation_id == survivor.id
