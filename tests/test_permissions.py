"""Who may do what: every route of the URL map × every role, for GET and POST alike.

Each row of TABLE is one route (one endpoint, sometimes about a draft) and one method; each
column is a role of tests/fixtures/world.py. An outcome is what that person gets:

    ok      the page (200)
    redir   a redirect somewhere other than the sign-in page
    login   a redirect to the sign-in page
    403     not allowed
    404     not found (drafts and other hidden things are not even said to exist)
    done    a request that changes something answered without error and changed it
    kept    it answered without error (a message, a form again) and changed nothing

A request that changes something is checked by reading the database before and after
(`Call.probe`): for every outcome but `done`, nothing may have changed. POSTs carry a valid
CSRF token and plausible form data, so a refusal is the rule's doing, not the form's.

A route added to the app fails `test_every_route_is_in_the_table` until it has its rows here
and its `Call` below: say what each role should get, and how to tell whether it acted.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import func, select

from fixtures.app import PASSWORD
from fixtures.world import ROLES, pdf_upload
from nanum.accounts.models import User
from nanum.api.models import ApiToken
from nanum.board.models import BoardMatch, BoardPost, Introduction
from nanum.curation.models import (
    Collection,
    CollectionItem,
    ContributionCall,
    FeaturedPractice,
)
from nanum.discussions.models import Helpful, Post, Thread
from nanum.events.models import (
    ContactPerson,
    Event,
    EventDocument,
    EventSession,
    Presentation,
    Registration,
    presented_practices,
)
from nanum.extensions import db
from nanum.flags.models import Flag, FlagEntry, Statement, UserNote
from nanum.moderation.models import SiteSetting
from nanum.network.models import ContactRequest, ExpertProfile
from nanum.notifications.models import Notification, Watch
from nanum.organisations.models import Membership, Organisation, VerificationRequest
from nanum.places.models import PlaceProfile
from nanum.practices.models import Attachment, Practice
from nanum.review.models import ReviewMessage, ReviewRequest
from nanum.sdg.models import Suggestion

TABLE = """
route                            method  anon   mem_a  mem_b  org_ad mod    admin  deact
api-docs.openapi_json            GET     ok     ok     ok     ok     ok     ok     ok
api_board.BoardPostDetail        GET     ok     ok     ok     ok     ok     ok     ok
api_board.BoardPostDetail:waiting GET    404    404    404    404    404    404    404
api_board.BoardPosts             GET     ok     ok     ok     ok     ok     ok     ok
api_catalogue.CollectionDetail   GET     ok     ok     ok     ok     ok     ok     ok
api_catalogue.CollectionDetail:hidden GET 404  404    404    404    404    404    404
api_catalogue.Collections        GET     ok     ok     ok     ok     ok     ok     ok
api_catalogue.GoalDetail         GET     ok     ok     ok     ok     ok     ok     ok
api_catalogue.Goals              GET     ok     ok     ok     ok     ok     ok     ok
api_catalogue.Me                 GET     401    401    401    401    401    401    401
api_catalogue.OrganisationDetail GET     ok     ok     ok     ok     ok     ok     ok
api_catalogue.Organisations      GET     ok     ok     ok     ok     ok     ok     ok
api_catalogue.TargetDetail       GET     ok     ok     ok     ok     ok     ok     ok
api_discussions.PracticeDiscussion GET   ok     ok     ok     ok     ok     ok     ok
api_discussions.PracticeDiscussion:draft GET 404 404  404    404    404    404    404
api_discussions.TopicDetail      GET     ok     ok     ok     ok     ok     ok     ok
api_discussions.Topics           GET     ok     ok     ok     ok     ok     ok     ok
api_events.EventDetail           GET     ok     ok     ok     ok     ok     ok     ok
api_events.EventDetail:draft     GET     404    404    404    404    404    404    404
api_events.EventDetail:waiting   GET     404    404    404    404    404    404    404
api_events.Events                GET     ok     ok     ok     ok     ok     ok     ok
api_pages.index                  GET     ok     ok     ok     ok     ok     ok     ok
api_practices.PracticeDetail     GET     ok     ok     ok     ok     ok     ok     ok
api_practices.PracticeDetail:draft GET   404    404    404    404    404    404    404
api_practices.Practices          GET     ok     ok     ok     ok     ok     ok     ok
api_search.Search                GET     ok     ok     ok     ok     ok     ok     ok
api_tokens.index                 GET     login  ok     ok     ok     ok     ok     login
api_tokens.index                 POST    login  done   done   done   done   done   login
api_tokens.revoke                POST    login  404    404    404    404    404    login
api_writes.NewPractice           POST    401    401    401    401    401    401    401
api_writes.Replies               POST    401    401    401    401    401    401    401
accounts.change_password         GET     login  ok     ok     ok     ok     ok     login
accounts.change_password         POST    login  done   done   done   done   done   login
accounts.confirm                 GET     ok     ok     ok     ok     ok     ok     ok
accounts.confirm                 POST    done   done   done   done   done   done   done
accounts.edit_profile            GET     login  ok     ok     ok     ok     ok     login
accounts.edit_profile            POST    login  done   done   done   done   done   login
accounts.forgot_password         GET     ok     ok     ok     ok     ok     ok     ok
accounts.forgot_password         POST    redir  redir  redir  redir  redir  redir  redir
accounts.login                   GET     ok     ok     ok     ok     ok     ok     ok
accounts.login                   POST    redir  redir  redir  redir  redir  redir  redir
accounts.logout                  POST    redir  redir  redir  redir  redir  redir  redir
accounts.profile                 GET     ok     ok     ok     ok     ok     ok     ok
accounts.register                GET     ok     ok     ok     ok     ok     ok     ok
accounts.register                POST    redir  redir  redir  redir  redir  redir  redir
accounts.reset_password          GET     ok     ok     ok     ok     ok     ok     ok
accounts.reset_password          POST    done   done   done   done   done   done   done
board.answer                     POST    login  403    done   403    404    404    login
board.create                     GET     login  ok     ok     ok     redir  redir  login
board.create                     POST    login  done   403    done   kept   kept   login
board.decide                     POST    login  403    403    403    done   done   login
board.detail                     GET     ok     ok     ok     ok     ok     ok     ok
board.detail:waiting             GET     404    ok     404    ok     ok     ok     404
board.edit                       GET     login  ok     403    ok     ok     ok     login
board.edit                       POST    login  done   403    done   done   done   login
board.formed                     POST    login  done   done   done   403    403    login
board.index                      GET     ok     ok     ok     ok     ok     ok     ok
board.introduce                  POST    login  done   done   done   403    403    login
board.introduction               GET     login  ok     ok     ok     404    404    login
board.review                     GET     login  403    403    403    ok     ok     login
briefs.practice                  GET     ok     ok     ok     ok     ok     ok     ok
briefs.practice:draft            GET     404    ok     404    ok     ok     ok     404
curation.call                    GET     ok     ok     ok     ok     ok     ok     ok
curation.calls_index             GET     ok     ok     ok     ok     ok     ok     ok
curation.collect                 POST    login  403    403    403    done   done   login
curation.collection              GET     ok     ok     ok     ok     ok     ok     ok
curation.collection:hidden       GET     404    404    404    404    ok     ok     404
curation.collection_item         POST    login  403    403    403    done   done   login
curation.collections_index       GET     ok     ok     ok     ok     ok     ok     ok
curation.edit_call               GET     login  403    403    403    ok     ok     login
curation.edit_call               POST    login  403    403    403    done   done   login
curation.edit_collection         GET     login  403    403    403    ok     ok     login
curation.edit_collection         POST    login  403    403    403    done   done   login
curation.featured_item           POST    login  403    403    403    done   done   login
curation.featured_page           GET     login  403    403    403    ok     ok     login
curation.featured_page           POST    login  403    403    403    done   done   login
curation.new_call                GET     login  403    403    403    ok     ok     login
curation.new_call                POST    login  403    403    403    done   done   login
curation.new_collection          GET     login  403    403    403    ok     ok     login
curation.new_collection          POST    login  403    403    403    done   done   login
curation.publish_collection      POST    login  403    403    403    done   done   login
discussions.accept               POST    login  done   403    403    403    403    login
discussions.category             GET     ok     ok     ok     ok     ok     ok     ok
discussions.delete               POST    login  done   403    403    403    403    login
discussions.edit                 GET     login  ok     403    403    403    403    login
discussions.edit                 POST    login  done   403    403    403    403    login
discussions.helpful              POST    login  kept   done   done   done   done   login
discussions.history              GET     403    403    403    403    ok     ok     403
discussions.index                GET     ok     ok     ok     ok     ok     ok     ok
discussions.lock                 POST    login  403    403    403    done   done   login
discussions.new                  GET     login  ok     ok     ok     ok     ok     login
discussions.new                  POST    login  done   done   done   done   done   login
discussions.people               GET     login  ok     ok     ok     ok     ok     login
discussions.permalink            GET     redir  redir  redir  redir  redir  redir  redir
discussions.reply                POST    login  done   done   done   done   done   login
discussions.reply_to_practice    POST    login  done   done   done   done   done   login
discussions.topic                GET     ok     ok     ok     ok     ok     ok     ok
discussions.unlock               POST    login  403    403    403    done   done   login
events.add_contact               POST    login  done   403    403    done   done   login
events.add_document              POST    login  done   403    403    done   done   login
events.add_presentation          POST    login  done   403    403    done   done   login
events.add_session               POST    login  done   403    403    done   done   login
events.cancel                    POST    login  kept   kept   done   kept   kept   login
events.create                    GET     login  ok     redir  redir  ok     ok     login
events.create                    POST    login  done   kept   kept   done   done   login
events.decide                    POST    login  403    404    404    done   done   login
events.detail                    GET     ok     ok     ok     ok     ok     ok     ok
events.detail:draft              GET     404    ok     404    404    ok     ok     404
events.document                  GET     ok     ok     ok     ok     ok     ok     ok
events.document:draft            GET     404    ok     404    404    ok     ok     404
events.edit                      GET     login  ok     403    403    ok     ok     login
events.edit                      POST    login  done   403    403    done   done   login
events.event_ics                 GET     ok     ok     ok     ok     ok     ok     ok
events.event_ics:draft           GET     404    ok     404    404    ok     ok     404
events.feed_ics                  GET     ok     ok     ok     ok     ok     ok     ok
events.index                     GET     ok     ok     ok     ok     ok     ok     ok
events.link_practice             POST    login  done   403    done   done   done   login
events.participants              GET     login  ok     403    403    ok     ok     login
events.participants_csv          GET     login  ok     403    403    ok     ok     login
events.presentation              GET     ok     ok     ok     ok     ok     ok     ok
events.register                  POST    login  done   done   kept   done   done   login
events.remove_contact            POST    login  done   403    403    done   done   login
events.remove_document           POST    login  done   403    403    done   done   login
events.remove_presentation       POST    login  done   403    403    done   done   login
events.remove_session            POST    login  done   403    403    done   done   login
events.restore                   POST    login  done   404    404    done   done   login
events.review                    GET     login  403    403    403    ok     ok     login
events.unlink_practice           POST    login  done   403    done   done   done   login
events.visibility                POST    login  kept   kept   done   kept   kept   login
events.withdraw                  POST    login  done   403    403    done   done   login
feeds.collection                 GET     ok     ok     ok     ok     ok     ok     ok
feeds.collection:hidden          GET     404    404    404    404    404    404    404
feeds.organisation               GET     ok     ok     ok     ok     ok     ok     ok
feeds.practices                  GET     ok     ok     ok     ok     ok     ok     ok
feeds.sdg                        GET     ok     ok     ok     ok     ok     ok     ok
feeds.search                     GET     ok     ok     ok     ok     ok     ok     ok
feeds.theme                      GET     ok     ok     ok     ok     ok     ok     ok
feeds.topic                      GET     ok     ok     ok     ok     ok     ok     ok
flags.act                        POST    login  403    403    403    done   done   login
flags.add_note                   POST    login  403    403    403    done   done   login
flags.appeal                     POST    login  done   404    404    404    404    login
flags.approve_post               POST    login  403    403    403    done   done   login
flags.decide                     POST    login  403    403    403    done   done   login
flags.decide_appeal              POST    login  403    403    403    done   done   login
flags.decline_post               POST    login  403    403    403    done   done   login
flags.flag                       POST    login  done   done   done   done   done   login
flags.person                     GET     login  403    403    403    ok     ok     login
flags.queue                      GET     login  403    403    403    ok     ok     login
flags.statement                  GET     login  ok     404    404    ok     ok     login
flags.suspension_appeal          POST    done   done   done   done   done   done   done
flags.suspension_appeal:forged   POST    kept   kept   kept   kept   kept   kept   kept
i18n.choose                      POST    kept   done   done   done   done   done   kept
main.about                       GET     ok     ok     ok     ok     ok     ok     ok
main.home                        GET     ok     ok     ok     ok     ok     ok     ok
ops.metrics_page                 GET     403    403    403    403    403    ok     403
moderation.audit                 GET     login  403    403    403    ok     ok     login
moderation.audit_csv             GET     login  403    403    403    ok     ok     login
moderation.home                  GET     login  403    403    403    ok     ok     login
moderation.people                GET     login  403    403    403    403    ok     login
moderation.role                  POST    login  403    403    403    403    done   login
moderation.role:missing          POST    login  403    403    403    403    404    login
moderation.site_settings         GET     login  403    403    403    403    ok     login
moderation.site_settings         POST    login  403    403    403    403    done   login
network.contact                  GET     login  ok     ok     ok     ok     ok     login
network.contact                  POST    login  kept   kept   done   done   done   login
network.decide                   POST    login  403    done   403    403    403    login
network.edit_expert              GET     login  ok     ok     ok     ok     ok     login
network.edit_expert              POST    login  done   done   done   done   done   login
network.experts                  GET     ok     ok     ok     ok     ok     ok     ok
network.requests                 GET     login  ok     ok     ok     ok     ok     login
notifications.index              GET     login  ok     ok     ok     ok     ok     login
notifications.open               GET     login  kept   404    404    404    404    login
notifications.open               POST    login  done   404    404    404    404    login
notifications.read               POST    login  done   404    404    404    404    login
notifications.read_all           POST    login  done   done   done   done   done   login
notifications.settings           GET     login  ok     ok     ok     ok     ok     login
notifications.settings           POST    login  done   done   done   done   done   login
notifications.unsubscribe        GET     ok     ok     ok     ok     ok     ok     ok
notifications.unsubscribe        POST    done   done   done   done   done   done   done
notifications.unwatch            POST    login  done   done   done   done   done   login
notifications.watch              POST    login  done   done   done   done   done   login
notifications.watch:hidden       POST    login  404    404    404    done   done   login
organisations.create             GET     login  ok     ok     ok     ok     ok     login
organisations.create             POST    login  done   done   done   done   done   login
organisations.detail             GET     ok     ok     ok     ok     ok     ok     ok
organisations.edit               GET     login  403    403    ok     ok     ok     login
organisations.edit               POST    login  403    403    done   done   done   login
organisations.index              GET     ok     ok     ok     ok     ok     ok     ok
organisations.mine               GET     login  ok     ok     ok     ok     ok     login
organisations.join               POST    login  kept   done   kept   done   done   login
organisations.member             POST    login  403    403    done   done   done   login
organisations.verification       GET     login  403    403    ok     ok     ok     login
organisations.verification       POST    login  403    403    done   403    403    login
organisation_moderation.decide   POST    login  403    403    403    done   done   login
organisation_moderation.decide:missing POST login 403 403 403 404 404 login
organisation_moderation.merge    GET     login  403    403    403    ok     ok     login
organisation_moderation.merge    POST    login  403    403    403    done   done   login
organisation_moderation.queue    GET     login  403    403    403    ok     ok     login
organisation_moderation.revoke   POST    login  403    403    403    done   done   login
organisation_moderation.revoke:missing POST login 403 403 403 404 404 login
places.organisation              POST    login  403    403    done   done   done   login
places.person                    POST    login  done   done   done   done   done   login
practices.create                 GET     login  ok     ok     ok     redir  redir  login
practices.create                 POST    login  done   kept   done   kept   kept   login
practices.delete_attachment      POST    login  done   403    done   done   done   login
practices.detail                 GET     ok     ok     ok     ok     ok     ok     ok
practices.detail:draft           GET     404    ok     404    ok     ok     ok     404
practices.download               GET     ok     ok     ok     ok     ok     ok     ok
practices.download:draft         GET     404    ok     404    ok     ok     ok     404
practices.edit                   GET     login  ok     redir  ok     ok     ok     login
practices.edit                   POST    login  done   kept   done   done   done   login
practices.history                GET     ok     ok     ok     ok     ok     ok     ok
practices.history:draft          GET     404    ok     404    ok     ok     ok     404
practices.index                  GET     ok     ok     ok     ok     ok     ok     ok
practices.lineage                GET     ok     ok     ok     ok     ok     ok     ok
practices.lineage:draft          GET     404    ok     404    ok     ok     ok     404
practices.mine                   GET     login  ok     ok     ok     ok     ok     login
practices.translate              GET     login  ok     403    ok     403    403    login
practices.translate              POST    login  done   403    done   403    403    login
practices.upload                 POST    login  done   403    done   done   done   login
review.bulk                      POST    login  403    403    403    done   done   login
review.claim                     POST    login  403    403    403    done   done   login
review.conversation              GET     login  ok     404    ok     ok     ok     login
review.conversation              POST    login  done   404    done   done   done   login
review.decide                    POST    login  403    403    403    done   done   login
review.index                     GET     login  403    403    403    ok     ok     login
review.item                      GET     login  403    403    403    ok     ok     login
review.release                   POST    login  403    403    403    done   kept   login
review.trust                     POST    login  403    403    403    done   done   login
sdg.answer                       POST    login  done   403    done   done   done   login
search.index                     GET     ok     ok     ok     ok     ok     ok     ok
taxonomy.coverage_map            GET     ok     ok     ok     ok     ok     ok     ok
taxonomy.coverage_wanted         GET     ok     ok     ok     ok     ok     ok     ok
taxonomy.detail                  GET     ok     ok     ok     ok     ok     ok     ok
taxonomy.index                   GET     ok     ok     ok     ok     ok     ok     ok
"""

# Routes that are not the app's own pages.
NOT_IN_TABLE = {"static", "bootstrap.static"}


def _rows(table):
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert len(header) == 2 + len(ROLES), "one column per role of fixtures.world.ROLES"
    expected = {}
    for route, method, *outcomes in rows:
        assert len(outcomes) == len(ROLES), f"{route} {method}: one outcome per role"
        assert (route, method) not in expected, f"{route} {method} is in the table twice"
        expected[route, method] = dict(zip(ROLES, outcomes, strict=True))
    return expected


EXPECTED = _rows(TABLE)


# -- how to send each route, and how to tell whether it changed something -------------------

@dataclass(frozen=True)
class Call:
    """How to call a route: its URL arguments and form, and what it may change."""

    args: object = None  # world -> url_for arguments
    form: object = None  # world -> form fields
    probe: object = None  # (world, role) -> what the request would change; read before, after
    changes: tuple = ("POST",)  # the methods the probe watches


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _value(column, row_id):
    return db.session.scalar(select(column).where(column.class_.id == row_id))


def _notes(model):
    return db.session.scalars(select(model.note).order_by(model.id)).all()


def _own(column):
    """Probe a column of the acting person's own account (nothing for a visitor)."""
    return lambda w, role: _value(column, w.users[role]) if role in w.users else None


def _every(column):
    return lambda w, role: db.session.scalars(select(column).order_by(User.id)).all()


def _claimant(practice_id):
    return db.session.scalar(select(ReviewRequest.claimed_by_id).where(
        ReviewRequest.practice_id == practice_id))


def _practice_form(w, **changes):
    return {"organisation": w.org_a, "title": "Water points that last", "kind": "case_study",
            "summary": "Pumps kept working for five years.", "countries": "KE",
            "targets": "6.1", "action": "save", **changes}


def _board_form(w, **changes):
    return {"organisation": w.org_a, "kind": "need", "title": "A flood warning system",
            "targets": "11.5", "countries": "KE", "languages": "en",
            "end_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
            **changes}


def _event_form():
    return {"title": "Workshop renamed", "kind": "workshop", "starts_at": "2031-07-14 09:00",
            "ends_at": "2031-07-14 17:00", "time_zone": "Africa/Nairobi", "place": "Hall",
            "action": "submit"}


def _linked_practices():
    return db.session.execute(select(func.count()).select_from(presented_practices)).scalar()


CALLS = {
    "board.answer": Call(args=lambda w: {"introduction_id": w.board_introduction},
                         form=lambda w: {"decision": "accept"},
                         probe=lambda w, role: _value(Introduction.status,
                                                      w.board_introduction)),
    "board.create": Call(form=_board_form, probe=lambda w, role: _count(BoardPost)),
    "board.decide": Call(args=lambda w: {"post_id": w.board_waiting},
                         form=lambda w: {"decision": "publish"},
                         probe=lambda w, role: _value(BoardPost.status, w.board_waiting)),
    "board.detail": Call(args=lambda w: {"post_id": w.board_need}),
    "board.detail:waiting": Call(args=lambda w: {"post_id": w.board_waiting}),
    "board.edit": Call(args=lambda w: {"post_id": w.board_need},
                       form=lambda w: _board_form(w, title="Edited need"),
                       probe=lambda w, role: _value(BoardPost.title, w.board_need)),
    "board.formed": Call(args=lambda w: {"match_id": w.board_accepted_match},
                         probe=lambda w, role: _value(BoardMatch.formed_at,
                                                      w.board_accepted_match)),
    "board.index": Call(),
    "board.introduce": Call(args=lambda w: {"match_id": w.board_match},
                            form=lambda w: {"message": "Shall we talk about this?"},
                            probe=lambda w, role: _count(Introduction)),
    "board.introduction": Call(args=lambda w: {"introduction_id": w.board_introduction}),
    "board.review": Call(),
    "api-docs.openapi_json": Call(),
    # The API reads only what is public: a draft is not found even by its own organisers.
    "api_board.BoardPostDetail": Call(args=lambda w: {"post_id": w.board_need}),
    "api_board.BoardPostDetail:waiting": Call(args=lambda w: {"post_id": w.board_waiting}),
    "api_board.BoardPosts": Call(),
    "api_catalogue.CollectionDetail": Call(args=lambda w: {"collection_id": w.collection}),
    "api_catalogue.CollectionDetail:hidden": Call(
        args=lambda w: {"collection_id": w.hidden_collection}),
    "api_catalogue.Collections": Call(),
    "api_catalogue.GoalDetail": Call(args=lambda w: {"number": 11}),
    "api_catalogue.Goals": Call(),
    "api_catalogue.Me": Call(),
    "api_catalogue.OrganisationDetail": Call(args=lambda w: {"organisation_id": w.org_a}),
    "api_catalogue.Organisations": Call(),
    "api_catalogue.TargetDetail": Call(args=lambda w: {"key": "11.3"}),
    "api_discussions.PracticeDiscussion": Call(args=lambda w: {"practice_id": w.practice}),
    "api_discussions.PracticeDiscussion:draft": Call(args=lambda w: {"practice_id": w.draft}),
    "api_discussions.TopicDetail": Call(args=lambda w: {"thread_id": w.topic}),
    "api_discussions.Topics": Call(),
    "api_events.EventDetail": Call(args=lambda w: {"event_id": w.event}),
    "api_events.EventDetail:draft": Call(args=lambda w: {"event_id": w.draft_event}),
    "api_events.EventDetail:waiting": Call(args=lambda w: {"event_id": w.waiting_event}),
    "api_events.Events": Call(),
    "api_pages.index": Call(),
    "api_practices.PracticeDetail": Call(args=lambda w: {"practice_id": w.practice}),
    "api_practices.PracticeDetail:draft": Call(args=lambda w: {"practice_id": w.draft}),
    "api_practices.Practices": Call(),
    "api_search.Search": Call(),
    "api_tokens.index": Call(form=lambda w: {"name": "Importer", "scopes": "read"},
                             probe=lambda w, role: _count(ApiToken)),
    # No one has a token in the world: revoking one that is not one's own is a 404.
    "api_tokens.revoke": Call(args=lambda w: {"token_id": 1},
                              probe=lambda w, role: _count(ApiToken)),
    # A session cookie (and its CSRF token) cannot write through the API: a token must.
    "api_writes.NewPractice": Call(form=_practice_form, probe=lambda w, role: _count(Practice)),
    "api_writes.Replies": Call(args=lambda w: {"practice_id": w.practice},
                               form=lambda w: {"body": "Posted with a cookie"},
                               probe=lambda w, role: _count(Post)),
    "accounts.change_password": Call(
        form=lambda w: {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        probe=_own(User.password_hash)),
    "accounts.confirm": Call(
        args=lambda w: {"token": w.confirm_token},
        probe=lambda w, role: _value(User.email_confirmed_at, w.newcomer)),
    "accounts.edit_profile": Call(
        form=lambda w: {"name": "A New Name", "country": "KE"}, probe=_own(User.name)),
    "accounts.forgot_password": Call(form=lambda w: {"email": "member_a@example.org"}),
    "accounts.login": Call(
        form=lambda w: {"email": "member_b@example.org", "password": PASSWORD}),
    "accounts.logout": Call(),
    "accounts.profile": Call(args=lambda w: {"user_id": w.users["member_a"]}),
    "accounts.register": Call(
        form=lambda w: {"name": "New Person", "email": "new@example.org",
                        "password": "a long enough passphrase"}),
    "accounts.reset_password": Call(
        args=lambda w: {"token": w.reset_token},
        form=lambda w: {"password": "a brand new passphrase"},
        probe=lambda w, role: _value(User.password_hash, w.users["member_a"])),
    "briefs.practice": Call(args=lambda w: {"practice_id": w.practice}),
    "briefs.practice:draft": Call(args=lambda w: {"practice_id": w.draft}),
    "curation.call": Call(args=lambda w: {"call_id": w.call}),
    "curation.calls_index": Call(),
    "curation.collect": Call(
        args=lambda w: {"collection_id": w.collection},
        form=lambda w: {"practice": f"/practices/{w.second}", "note": "For small towns"},
        probe=lambda w, role: _count(CollectionItem)),
    "curation.collection": Call(args=lambda w: {"collection_id": w.collection}),
    "curation.collection:hidden": Call(args=lambda w: {"collection_id": w.hidden_collection}),
    "curation.collection_item": Call(
        args=lambda w: {"collection_id": w.hidden_collection, "practice_id": w.practice,
                        "act": "note"},
        form=lambda w: {"note": "A better note"},
        probe=lambda w, role: _notes(CollectionItem)),
    "curation.collections_index": Call(),
    "curation.edit_call": Call(
        args=lambda w: {"call_id": w.call},
        form=lambda w: {"title": "Practices on SDG 6.b, renamed", "sdgs": "6.b",
                        "closes_on": "2099-03-31"},
        probe=lambda w, role: _value(ContributionCall.title, w.call)),
    "curation.edit_collection": Call(
        args=lambda w: {"collection_id": w.collection},
        form=lambda w: {"title": "Water points, renamed"},
        probe=lambda w, role: _value(Collection.title, w.collection)),
    "curation.featured_item": Call(
        args=lambda w: {"practice_id": w.practice, "act": "note"},
        form=lambda w: {"note": "A better note"},
        probe=lambda w, role: _notes(FeaturedPractice)),
    "curation.featured_page": Call(
        form=lambda w: {"practice": str(w.second), "note": "Cheap"},
        probe=lambda w, role: _count(FeaturedPractice)),
    "curation.new_call": Call(
        form=lambda w: {"title": "Flood early warning", "sdgs": "11.5",
                        "closes_on": "2099-03-31"},
        probe=lambda w, role: _count(ContributionCall)),
    "curation.new_collection": Call(
        form=lambda w: {"title": "Flood early warning"},
        probe=lambda w, role: _count(Collection)),
    "curation.publish_collection": Call(
        args=lambda w: {"collection_id": w.hidden_collection, "act": "publish"},
        probe=lambda w, role: _value(Collection.published, w.hidden_collection)),
    "discussions.accept": Call(
        args=lambda w: {"post_id": w.answer},
        probe=lambda w, role: _value(Thread.accepted_post_id, w.topic)),
    "discussions.category": Call(args=lambda w: {"category": "questions"}),
    "discussions.delete": Call(args=lambda w: {"post_id": w.mine},
                               probe=lambda w, role: _value(Post.deleted_at, w.mine)),
    "discussions.edit": Call(args=lambda w: {"post_id": w.mine},
                             form=lambda w: {"body": "Thank you, that helps a lot."},
                             probe=lambda w, role: _value(Post.body, w.mine)),
    "discussions.helpful": Call(
        args=lambda w: {"post_id": w.mine},
        probe=lambda w, role: _count(Helpful, Helpful.post_id == w.mine)),
    "discussions.history": Call(args=lambda w: {"post_id": w.mine}),
    "discussions.index": Call(),
    "discussions.lock": Call(args=lambda w: {"thread_id": w.topic},
                             form=lambda w: {"reason": "Off topic"},
                             probe=lambda w, role: _value(Thread.locked, w.topic)),
    "discussions.new": Call(
        form=lambda w: {"category": "questions", "title": "How do you train staff?",
                        "body": "We have two people and no budget."},
        probe=lambda w, role: _count(Thread)),
    "discussions.people": Call(args=lambda w: {"q": "mem"}),
    "discussions.permalink": Call(args=lambda w: {"post_id": w.answer}),
    "discussions.reply": Call(
        args=lambda w: {"thread_id": w.topic}, form=lambda w: {"body": "Same here."},
        probe=lambda w, role: _count(Post, Post.thread_id == w.topic)),
    "discussions.reply_to_practice": Call(
        args=lambda w: {"practice_id": w.practice}, form=lambda w: {"body": "Same here."},
        probe=lambda w, role: _count(Post, Post.thread_id == w.practice_thread)),
    "discussions.topic": Call(args=lambda w: {"thread_id": w.topic}),
    "discussions.unlock": Call(args=lambda w: {"thread_id": w.locked},
                               probe=lambda w, role: _value(Thread.locked, w.locked)),
    "events.add_contact": Call(args=lambda w: {"event_id": w.event},
                               form=lambda w: {"name": "Lee", "email": "lee@example.org"},
                               probe=lambda w, role: _count(ContactPerson)),
    "events.add_document": Call(args=lambda w: {"event_id": w.event},
                                form=lambda w: {"kind": "report", "file": pdf_upload()},
                                probe=lambda w, role: _count(EventDocument)),
    "events.add_presentation": Call(
        args=lambda w: {"session_id": w.event_session},
        form=lambda w: {"title": "More slides", "file": pdf_upload()},
        probe=lambda w, role: _count(Presentation)),
    "events.add_session": Call(args=lambda w: {"event_id": w.event}, form=lambda w: {
        "title": "Closing", "starts_at": "2031-07-14 16:00", "ends_at": "2031-07-14 17:00"},
        probe=lambda w, role: _count(EventSession)),
    "events.cancel": Call(args=lambda w: {"event_id": w.event},
                          probe=lambda w, role: _count(Registration,
                                                       Registration.state == "registered")),
    "events.create": Call(form=lambda w: {**_event_form(), "organisation": w.events_org},
                          probe=lambda w, role: _count(Event)),
    "events.decide": Call(args=lambda w: {"event_id": w.waiting_event, "decision": "publish"},
                          probe=lambda w, role: _value(Event.status, w.waiting_event)),
    "events.detail": Call(args=lambda w: {"event_id": w.event}),
    "events.detail:draft": Call(args=lambda w: {"event_id": w.draft_event}),
    "events.document": Call(args=lambda w: {"file_id": w.event_document}),
    "events.document:draft": Call(args=lambda w: {"file_id": w.draft_event_document}),
    "events.edit": Call(args=lambda w: {"event_id": w.event}, form=lambda w: _event_form(),
                        probe=lambda w, role: _value(Event.title, w.event)),
    "events.event_ics": Call(args=lambda w: {"event_id": w.event}),
    "events.event_ics:draft": Call(args=lambda w: {"event_id": w.draft_event}),
    "events.feed_ics": Call(),
    "events.index": Call(),
    "events.link_practice": Call(args=lambda w: {"event_id": w.event},
                                 form=lambda w: {"practice": w.practice},
                                 probe=lambda w, role: _linked_practices()),
    "events.participants": Call(args=lambda w: {"event_id": w.event}),
    "events.participants_csv": Call(args=lambda w: {"event_id": w.event}),
    "events.presentation": Call(args=lambda w: {"file_id": w.presentation}),
    "events.register": Call(args=lambda w: {"event_id": w.event},
                            form=lambda w: {"organisation_name": "Somewhere"},
                            probe=lambda w, role: _count(Registration)),
    "events.remove_contact": Call(args=lambda w: {"contact_id": w.contact},
                                  probe=lambda w, role: _count(ContactPerson)),
    "events.remove_document": Call(args=lambda w: {"file_id": w.event_document},
                                   probe=lambda w, role: _count(EventDocument)),
    "events.remove_presentation": Call(args=lambda w: {"file_id": w.presentation},
                                       probe=lambda w, role: _count(Presentation)),
    "events.remove_session": Call(args=lambda w: {"session_id": w.event_session},
                                  probe=lambda w, role: _count(EventSession)),
    "events.restore": Call(args=lambda w: {"event_id": w.withdrawn_event},
                           probe=lambda w, role: _value(Event.status, w.withdrawn_event)),
    "events.review": Call(),
    "events.unlink_practice": Call(args=lambda w: {"event_id": w.event,
                                                   "practice_id": w.second},
                                   probe=lambda w, role: _linked_practices()),
    "events.visibility": Call(args=lambda w: {"event_id": w.event},
                              probe=lambda w, role: _count(Registration,
                                                           Registration.visible.is_(True))),
    "events.withdraw": Call(args=lambda w: {"event_id": w.event},
                            probe=lambda w, role: _value(Event.status, w.event)),
    "feeds.collection": Call(args=lambda w: {"collection_id": w.collection}),
    "feeds.collection:hidden": Call(args=lambda w: {"collection_id": w.hidden_collection}),
    "feeds.organisation": Call(args=lambda w: {"organisation_id": w.org_a}),
    "feeds.practices": Call(),
    "feeds.sdg": Call(args=lambda w: {"key": "11"}),
    "feeds.search": Call(args=lambda w: {"q": "water"}),
    "feeds.theme": Call(args=lambda w: {"theme": "local_action"}),
    "feeds.topic": Call(args=lambda w: {"thread_id": w.topic}),
    "flags.act": Call(
        args=lambda w: {"user_id": w.users["member_b"]},
        form=lambda w: {"action": "silence", "days": "3", "reason": "spam"},
        probe=lambda w, role: _value(User.silenced_until, w.users["member_b"])),
    "flags.add_note": Call(
        args=lambda w: {"user_id": w.users["member_b"]}, form=lambda w: {"body": "Watch."},
        probe=lambda w, role: _count(UserNote)),
    "flags.appeal": Call(
        args=lambda w: {"statement_id": w.statement}, form=lambda w: {"text": "Look again."},
        probe=lambda w, role: _value(Statement.appeal_status, w.statement)),
    "flags.approve_post": Call(args=lambda w: {"post_id": w.held},
                               probe=lambda w, role: _value(Post.held, w.held)),
    "flags.decide": Call(
        args=lambda w: {"entry_id": w.entry},
        form=lambda w: {"decision": "keep", "reason": "spam"},
        probe=lambda w, role: _value(FlagEntry.status, w.entry)),
    "flags.decide_appeal": Call(
        args=lambda w: {"statement_id": w.appealed},
        form=lambda w: {"outcome": "uphold", "reason": "spam"},
        probe=lambda w, role: _value(Statement.appeal_status, w.appealed)),
    "flags.decline_post": Call(args=lambda w: {"post_id": w.held},
                               form=lambda w: {"reason": "spam"},
                               probe=lambda w, role: _value(Post.held, w.held)),
    "flags.flag": Call(
        args=lambda w: {"kind": "practice", "target_id": w.practice},
        form=lambda w: {"reason": "inaccurate"}, probe=lambda w, role: _count(Flag)),
    "flags.person": Call(args=lambda w: {"user_id": w.users["member_b"]}),
    "flags.queue": Call(),
    "flags.statement": Call(args=lambda w: {"statement_id": w.statement}),
    # The token, given after a correct password, is the only key: whoever is signed in.
    "flags.suspension_appeal": Call(
        form=lambda w: {"token": w.suspension_token, "text": "Look again."},
        probe=lambda w, role: _value(Statement.appeal_status, w.suspension)),
    "flags.suspension_appeal:forged": Call(
        form=lambda w: {"token": w.suspension_token[:-3] + "abc", "text": "Look again."},
        probe=lambda w, role: _value(Statement.appeal_status, w.suspension)),
    "i18n.choose": Call(form=lambda w: {"locale": "ko", "next": "/practices"},
                        probe=_own(User.locale)),
    "main.about": Call(),
    "ops.metrics_page": Call(),
    "main.home": Call(),
    "moderation.audit": Call(args=lambda w: {"action": "organisation"}),
    "moderation.audit_csv": Call(),
    "moderation.home": Call(),
    "moderation.people": Call(args=lambda w: {"q": "member"}),
    "moderation.role": Call(args=lambda w: {"user_id": w.users["member_b"]},
                            form=lambda w: {"role": "moderator", "message": "Trusted."},
                            probe=lambda w, role: _value(User.role, w.users["member_b"])),
    # Who may not change roles is refused before the person is even looked up.
    "moderation.role:missing": Call(args=lambda w: {"user_id": 999_999},
                                    form=lambda w: {"role": "moderator"}),
    "moderation.site_settings": Call(
        form=lambda w: {"submission_policy": "trusted_publish", "message": "For the launch."},
        probe=lambda w, role: db.session.scalar(select(SiteSetting.value).where(
            SiteSetting.key == "submission_policy"))),
    "notifications.index": Call(),
    "network.contact": Call(
        args=lambda w: {"user_id": w.users["member_b"]},
        form=lambda w: {"message": "May I ask about tariffs?"},
        probe=lambda w, role: _count(ContactRequest)),
    "network.decide": Call(
        args=lambda w: {"request_id": w.contact, "act": "accept"},
        probe=lambda w, role: _value(ContactRequest.status, w.contact)),
    "network.edit_expert": Call(
        form=lambda w: {"listed": "y", "targets": "4.1", "summary": "Schools."},
        probe=lambda w, role: db.session.scalars(
            select(ExpertProfile.summary).order_by(ExpertProfile.id)).all()),
    "network.experts": Call(),
    "network.requests": Call(),
    "notifications.open": Call(
        args=lambda w: {"notification_id": w.notification}, changes=("GET", "POST"),
        probe=lambda w, role: _value(Notification.read_at, w.notification)),
    "notifications.read": Call(
        args=lambda w: {"notification_id": w.notification},
        probe=lambda w, role: _value(Notification.read_at, w.notification)),
    "notifications.read_all": Call(
        probe=lambda w, role: _count(Notification, Notification.read_at.is_(None))),
    "notifications.settings": Call(form=lambda w: {"email_notifications": "daily"},
                                   probe=_every(User.email_notifications)),
    "notifications.unsubscribe": Call(args=lambda w: {"token": w.unsubscribe_token},
                                      probe=_every(User.email_notifications)),
    "notifications.unwatch": Call(
        form=lambda w: {"type": "thread", "key": str(w.topic), "next": "/"},
        probe=lambda w, role: _count(Watch)),
    "notifications.watch": Call(
        form=lambda w: {"type": "sdg", "key": "11", "next": "/"},
        probe=lambda w, role: _count(Watch)),
    "notifications.watch:hidden": Call(
        form=lambda w: {"type": "collection", "key": str(w.hidden_collection), "next": "/"},
        probe=lambda w, role: _count(Watch)),
    "organisations.create": Call(
        form=lambda w: {"name": "Organisation C", "type": "NRI", "country": "KE"},
        probe=lambda w, role: _count(Organisation)),
    "organisations.detail": Call(args=lambda w: {"organisation_id": w.org_a}),
    "organisations.edit": Call(
        args=lambda w: {"organisation_id": w.org_a},
        form=lambda w: {"name": "Organisation A renamed", "type": "LRG", "country": "KE"},
        probe=lambda w, role: _value(Organisation.name, w.org_a)),
    "organisations.index": Call(),
    "organisations.verification": Call(
        args=lambda w: {"organisation_id": w.org_a},
        form=lambda w: {"website": "https://org-a.example.org",
                        "email": "office@org-a.example.org", "contact": "Ada, mayor"},
        probe=lambda w, role: _count(VerificationRequest,
                                     VerificationRequest.organisation_id == w.org_a)),
    "organisation_moderation.decide": Call(
        args=lambda w: {"request_id": w.verification_request, "decision": "verify"},
        probe=lambda w, role: _value(VerificationRequest.status, w.verification_request)),
    "organisation_moderation.decide:missing": Call(
        args=lambda w: {"request_id": 999_999, "decision": "verify"}),
    "organisation_moderation.merge": Call(
        args=lambda w: {"organisation_id": w.org_duplicate},
        form=lambda w: {"into": str(w.org_verified), "reason": "duplicate"},
        probe=lambda w, role: _count(Organisation)),
    "organisation_moderation.queue": Call(),
    "organisation_moderation.revoke:missing": Call(
        args=lambda w: {"organisation_id": 999_999}, form=lambda w: {"reason": "spam"}),
    "organisation_moderation.revoke": Call(
        args=lambda w: {"organisation_id": w.org_verified},
        form=lambda w: {"reason": "unverifiable", "message": "The site is gone."},
        probe=lambda w, role: _value(Organisation.verified, w.org_verified)),
    "organisations.mine": Call(),
    "organisations.join": Call(
        args=lambda w: {"organisation_id": w.org_a},
        probe=lambda w, role: _count(Membership, Membership.organisation_id == w.org_a)),
    "organisations.member": Call(
        args=lambda w: {"organisation_id": w.org_a, "membership_id": w.applicant,
                        "act": "approve"},
        probe=lambda w, role: _value(Membership.status, w.applicant)),
    "places.organisation": Call(
        args=lambda w: {"organisation_id": w.org_a},
        form=lambda w: {"place_country": "KE", "place_population_band": "10k_50k"},
        probe=lambda w, role: _count(PlaceProfile, PlaceProfile.organisation_id == w.org_a)),
    "places.person": Call(form=lambda w: {"place_country": "KE"},
                          probe=lambda w, role: _count(PlaceProfile)),
    "practices.create": Call(form=lambda w: _practice_form(w, action="draft"),
                             probe=lambda w, role: _count(Practice)),
    "practices.delete_attachment": Call(
        args=lambda w: {"attachment_id": w.attachment},
        probe=lambda w, role: _count(Attachment)),
    "practices.detail": Call(args=lambda w: {"practice_id": w.practice}),
    "practices.detail:draft": Call(args=lambda w: {"practice_id": w.draft}),
    "practices.download": Call(args=lambda w: {"attachment_id": w.attachment}),
    "practices.download:draft": Call(args=lambda w: {"attachment_id": w.draft_attachment}),
    "practices.edit": Call(args=lambda w: {"practice_id": w.practice},
                           form=_practice_form,
                           probe=lambda w, role: _value(Practice.title, w.practice)),
    "practices.history": Call(args=lambda w: {"practice_id": w.practice}),
    "practices.history:draft": Call(args=lambda w: {"practice_id": w.draft}),
    "practices.index": Call(),
    "practices.lineage": Call(args=lambda w: {"practice_id": w.practice}),
    "practices.lineage:draft": Call(args=lambda w: {"practice_id": w.draft}),
    "practices.mine": Call(),
    "practices.translate": Call(args=lambda w: {"practice_id": w.practice},
                                form=lambda w: _practice_form(w, language="es", action="draft"),
                                probe=lambda w, role: _count(Practice)),
    "practices.upload": Call(args=lambda w: {"practice_id": w.practice},
                             form=lambda w: {"file": pdf_upload()},
                             probe=lambda w, role: _count(Attachment)),
    "review.bulk": Call(form=lambda w: {"practice": str(w.waiting), "action": "approve"},
                        probe=lambda w, role: _value(Practice.status, w.waiting)),
    "review.claim": Call(args=lambda w: {"practice_id": w.waiting},
                         probe=lambda w, role: _claimant(w.waiting)),
    "review.conversation": Call(
        args=lambda w: {"practice_id": w.waiting}, form=lambda w: {"body": "Any news?"},
        probe=lambda w, role: _count(ReviewMessage)),
    "review.decide": Call(args=lambda w: {"practice_id": w.waiting},
                          form=lambda w: {"decision": "approve"},
                          probe=lambda w, role: _value(Practice.status, w.waiting)),
    "review.index": Call(),
    "review.item": Call(args=lambda w: {"practice_id": w.waiting}),
    "review.release": Call(args=lambda w: {"practice_id": w.claimed},
                           probe=lambda w, role: _claimant(w.claimed)),
    "review.trust": Call(args=lambda w: {"organisation_id": w.org_b},
                         form=lambda w: {"trusted": "1"},
                         probe=lambda w, role: _value(Organisation.trusted, w.org_b)),
    "sdg.answer": Call(args=lambda w: {"practice_id": w.practice},
                       form=lambda w: {"key": "6.1", "answer": "dismiss"},
                       probe=lambda w, role: _value(Suggestion.decision, w.suggestion)),
    "search.index": Call(args=lambda w: {"q": "water"}),
    "taxonomy.coverage_map": Call(args=lambda w: {"region": "Africa"}),
    "taxonomy.coverage_wanted": Call(args=lambda w: {"target": "6.1", "region": "Africa"}),
    "taxonomy.detail": Call(args=lambda w: {"key": "11"}),
    "taxonomy.index": Call(),
}


# -- sending one cell -----------------------------------------------------------------------

def _outcome(response):
    if response.status_code == 200:
        return "ok"
    if response.status_code in (301, 302, 303, 307, 308):
        # Sent to sign in and come back; a plain /login (after a password reset) is a redirect.
        location = urlsplit(response.location)
        return "login" if location.path == "/login" and "next=" in location.query else "redir"
    return str(response.status_code)


def send(world, route, method, role):
    """Send one route as one role to a fresh copy of the world; return what they got."""
    call = CALLS[route]
    endpoint = route.partition(":")[0]
    world.restore()
    client = world.client(role)
    with world.app.test_request_context():
        url = url_for(endpoint, **(call.args(world) if call.args else {}))
    watched = call.probe if call.probe and method in call.changes else None
    before = world.read(watched, role) if watched else None
    with world.fast_hashing():
        if method == "GET":
            response = client.get(url)
        else:
            form = call.form(world) if call.form else {}
            response = client.post(url, data={**form, "csrf_token": world.tokens[role]})
    outcome = _outcome(response)
    if watched:
        changed = world.read(watched, role) != before
        if outcome in ("ok", "redir"):
            outcome = "done" if changed else "kept"
        elif changed:
            outcome = f"{outcome} but changed"
    return outcome, response


CELLS = [pytest.param(route, method, role, id=f"{route}-{method}-{role}")
         for (route, method) in EXPECTED for role in ROLES]


@pytest.mark.parametrize("route, method, role", CELLS)
def test_route_role_matrix(world, route, method, role):
    outcome, response = send(world, route, method, role)
    assert outcome == EXPECTED[route, method][role], (
        f"{role} {method} {route}: {response.status_code} {response.location or ''}")


def test_every_route_is_in_the_table(world):
    in_app = {(rule.endpoint, method) for rule in world.app.url_map.iter_rules()
              if rule.endpoint not in NOT_IN_TABLE
              for method in rule.methods & {"GET", "POST"}}
    in_table = {(route.partition(":")[0], method) for route, method in EXPECTED}
    assert sorted(in_app - in_table) == [], "routes with no row in TABLE: add them"
    assert sorted(in_table - in_app) == [], "rows in TABLE for routes the app no longer has"
    routes = {route for route, _method in EXPECTED}
    assert sorted(routes ^ set(CALLS)) == [], "every row needs its Call, and no more"

