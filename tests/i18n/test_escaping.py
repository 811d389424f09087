"""A lazy message with someone's text formatted into it: the text is escaped on a page, the
message's own markup is not."""

from flask import render_template_string
from flask_babel import lazy_gettext, lazy_ngettext

ATTACK = '<script>alert("x")</script>'


def render(app, value, locale="en"):
    with app.test_request_context(headers={"Accept-Language": locale}):
        return render_template_string("<p>{{ value }}</p>", value=value)


def test_a_formatted_value_is_escaped(app):
    page = render(app, lazy_gettext("Merge %(name)s", name=ATTACK))
    assert "<script>" not in page
    assert "Merge &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_a_translated_message_escapes_its_values_too(app):
    page = render(app, lazy_gettext("Merge %(name)s", name=ATTACK), locale="es")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_the_messages_own_markup_and_numbers_stay(app):
    message = lazy_gettext("Evidence level: <strong>%(level)s</strong>", level="<i>monitored</i>")
    assert render(app, message) == (
        "<p>Evidence level: <strong>&lt;i&gt;monitored&lt;/i&gt;</strong></p>")
    counted = lazy_ngettext("%(num)d item by %(name)s", "%(num)d items by %(name)s", 3,
                            name="<b>")
    assert render(app, counted) == "<p>3 items by &lt;b&gt;</p>"


def test_a_message_without_values_is_shown_as_it_is(app):
    assert render(app, lazy_gettext("Merge…")) == "<p>Merge…</p>"
