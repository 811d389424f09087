"""The language the current page is shown in."""

from flask import current_app, has_app_context

DEFAULT = "en"


def current_language() -> str:
    """Return the UI language of the current request, "en" when none is set.

    Flask-Babel decides the language once it is set up on the app; before that, and outside an
    application context, every page is in English.
    """
    if not has_app_context() or "babel" not in current_app.extensions:
        return DEFAULT
    import flask_babel  # only once the app has set Flask-Babel up

    locale = flask_babel.get_locale()
    return str(locale) if locale is not None else DEFAULT
