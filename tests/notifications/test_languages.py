"""Notifications are written in the language of the person who receives them."""

import flask_babel
from babel import support

from nanum.extensions import db
from nanum.flags import actions
from nanum.notifications.models import Notification

MARK = "[ko] "


class MarkedTranslations(support.NullTranslations):
    """A stand-in Korean catalogue that marks every message it translates."""

    def ugettext(self, message):
        return MARK + message

    def ungettext(self, singular, plural, num):
        return MARK + (singular if num == 1 else plural)

    gettext, ngettext = ugettext, ungettext


def _mark_korean(monkeypatch):
    real = flask_babel.Domain.get_translations

    def get_translations(domain):
        if str(flask_babel.get_locale()) == "ko":
            return MarkedTranslations()
        return real(domain)

    monkeypatch.setattr(flask_babel.Domain, "get_translations", get_translations)


def test_each_person_reads_a_reply_notification_in_their_own_language(make, helpers,
                                                                       monkeypatch):
    _mark_korean(monkeypatch)
    korean, english, helper = make.user(locale="ko"), make.user(), make.user()
    for asker in (korean, english):
        thread = helpers.topic(asker, title=f"Funding a review, asked by {asker.name}")
        helpers.reply(helper, thread, parent=helpers.first_post(thread))

    [korean_note], [english_note] = helpers.notes(korean), helpers.notes(english)
    assert korean_note.message.startswith(MARK)
    assert f"asked by {korean.name}" in korean_note.message  # the placeholders are filled
    assert not english_note.message.startswith(MARK)
    assert english_note.message.startswith(f"{helper.name} replied to your post in “Funding")


def test_a_moderation_statement_is_told_in_the_language_of_its_person(make, monkeypatch):
    _mark_korean(monkeypatch)
    person = make.user(locale="ko")
    moderator = make.user(role="moderator")
    statement = actions.add_statement(moderator, person.id, "user.warn", target_type="user",
                                      target=person, reason="spam", message="")
    actions.tell(statement, person)

    [note] = db.session.query(Notification).filter_by(user_id=person.id).all()
    # Each sentence of the statement is a whole message of the catalogue.
    assert note.message.startswith(MARK) and note.message.count(MARK) >= 2
    assert "sent you a warning" in note.message
    with flask_babel.force_locale("en"):
        assert actions.told(statement).startswith("A moderator sent you a warning. Reason: Spam")
