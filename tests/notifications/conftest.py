"""Helpers for the notification tests: real posts and practices, so the real signals fire."""

import pytest
from sqlalchemy import select

from nanum.discussions import services as discussions
from nanum.extensions import db
from nanum.notifications.models import Notification, OutgoingMail, Watch

PRACTICE = {"title": "Community flood wardens", "summary": "Volunteers watch the river.",
            "kind": "case_study", "countries": ["KE"], "targets": ["11.5", "13.1"],
            "themes": ["drr_resilience"], "context": "The river floods twice a year."}


class Helpers:
    @staticmethod
    def topic(user, body="How did you fund the first year?", category="questions",
              title="Funding a local review"):
        return discussions.start_topic(user, category=category, title=title, body=body)

    @staticmethod
    def first_post(thread):
        return min(thread_posts(thread), key=lambda post: post.id)

    @staticmethod
    def reply(user, thread, body="We used the city budget.", parent=None):
        return discussions.reply(user, thread=thread, body=body,
                                 parent_id=parent.id if parent else None)

    @staticmethod
    def reply_to_practice(user, practice, body="How many wardens?", parent=None):
        """Post under a practice. `reply(practice=...)` builds a thread whose `practice` is not
        loaded yet and fails its own visibility check, so pass the thread (as the views do)."""
        from nanum.discussions.models import Thread

        thread = discussions.thread_of_practice(practice) or Thread(practice_id=practice.id,
                                                                    practice=practice)
        return Helpers.reply(user, thread, body=body, parent=parent)

    @staticmethod
    def notes(user=None):
        """Return notifications (of one person), oldest first."""
        statement = select(Notification).order_by(Notification.id)
        if user is not None:
            statement = statement.where(Notification.user_id == user.id)
        return db.session.scalars(statement).all()

    @staticmethod
    def kinds(user):
        return [note.kind for note in Helpers.notes(user)]

    @staticmethod
    def watches(user):
        return {(w.target_type, w.target_key) for w in db.session.scalars(
            select(Watch).where(Watch.user_id == user.id))}

    @staticmethod
    def mails():
        return db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()

    @staticmethod
    def publish(author, organisation_id=None, **fields):
        from nanum.practices import services as practices

        organisation_id = organisation_id or author.memberships[0].organisation_id
        return practices.create(author, organisation_id, {**PRACTICE, **fields},
                                action="submit")


def thread_posts(thread):
    from nanum.discussions.models import Post

    return db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()


@pytest.fixture
def helpers(app):
    return Helpers
