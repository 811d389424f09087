"""The interface in several languages: which one a request gets, the chooser, and formats.

The language of a request is, in this order: the signed-in person's profile setting, the
language chosen with the chooser on every page (kept in a cookie), the best match of the
browser's `Accept-Language`, and English, the language the interface is written in.
"""

from contextlib import contextmanager
from pathlib import Path

import flask_babel
from babel import Locale, UnknownLocaleError, dates, numbers
from flask import Blueprint, current_app, has_app_context, has_request_context, redirect, request
from flask_babel import Babel, force_locale, get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

from nanum.extensions import csrf
from nanum.security import safe_next

# The interface's languages, each named in itself for the chooser; English is the source.
LANGUAGES = {"en": "English", "es": "Español", "fr": "Français", "ko": "한국어"}
DEFAULT_LOCALE = "en"
COOKIE_NAME = "nanum_locale"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).parent / "translations"

bp = Blueprint("i18n", __name__)


def known(code):
    """Return `code` when it is one of the interface's languages, else None."""
    return code if isinstance(code, str) and code in LANGUAGES else None


def visitor_locale():
    """Return the language a visitor gets without a profile: chooser cookie, then browser."""
    chosen = known(request.cookies.get(COOKIE_NAME))
    if chosen:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LOCALE


def select_locale():
    """Return the language of the current request (Flask-Babel's locale selector)."""
    if not has_request_context():  # commands: English, unless `in_language_of` says
        return DEFAULT_LOCALE
    if current_user and current_user.is_authenticated:
        chosen = known(getattr(current_user, "locale", None))
        if chosen:
            return chosen
    return visitor_locale()


def current_language():
    """Return the code of the page's language, for `<html lang>`, the chooser and the texts
    shown in it; English outside a request of an app that has Flask-Babel set up."""
    if not has_app_context() or "babel" not in current_app.extensions:
        return DEFAULT_LOCALE
    return str(get_locale() or DEFAULT_LOCALE)


def language_name(code):
    """Return the name of a language (an ISO 639 code) in the page's language: "es" is
    "Spanish" in English, "español" in Spanish, "스페인어" in Korean; the code when Babel
    has no name for it."""
    try:
        names = Locale.parse(current_language()).languages
    except (UnknownLocaleError, ValueError):
        names = {}
    name = names.get(code or "")
    return name[:1].upper() + name[1:] if name else str(code or "")


@bp.route("/language", methods=["POST"])
@csrf.exempt
def choose():
    """Keep the chosen language in a cookie (and in the profile of a signed-in person), and
    go back to the page the chooser was on."""
    # Visitors' pages are kept by the page cache and carry no CSRF token, and for them the
    # only effect is a cookie; a signed-in person's profile is written, so their form
    # carries a token and it is checked here.
    locale = known(request.form.get("locale"))
    back = safe_next(request.form.get("next"), default="/")
    if locale is None:
        return redirect(back)
    if current_user.is_authenticated:
        from nanum.accounts import services as accounts
        from nanum.accounts.session import viewer

        csrf.protect()
        accounts.set_locale(viewer(), locale)
    response = redirect(back)
    response.set_cookie(COOKIE_NAME, locale, max_age=COOKIE_MAX_AGE, samesite="Lax",
                        httponly=True, secure=current_app.config.get("SESSION_COOKIE_SECURE",
                                                                     False))
    return response


@contextmanager
def in_language_of(user, fallback=DEFAULT_LOCALE):
    """Render what is inside (a mail) in `user`'s language: their profile setting, else
    `fallback` (English by default), whatever the language of the request that sends it."""
    locale = (known(getattr(user, "locale", None)) or known(str(fallback or ""))
              or DEFAULT_LOCALE)
    with force_locale(locale):
        yield


# -- formats -------------------------------------------------------------------------------

# The few strftime formats the templates use, as CLDR skeletons of the date and whether the
# time (hours and minutes) follows: each locale orders and spells them its own way. English
# keeps the strftime output it always had.
DATE_SKELETONS = {
    "%d %b %Y": ("yMMMd", False),
    "%B %Y": ("yMMMM", False),
    "%d %B %Y, %H:%M": ("yMMMMd", True),
    "%d %b %Y, %H:%M": ("yMMMd", True),
    "%d %b %Y %H:%M": ("yMMMd", True),
    "%d %b, %H:%M": ("MMMd", True),
}
DEFAULT_DATE_FORMAT = "%d %b %Y"


def format_date(value, fmt=DEFAULT_DATE_FORMAT):
    """Format a date or datetime (naive, UTC) for the page's language."""
    if not value:
        return ""
    locale = get_locale()
    skeleton, with_time = DATE_SKELETONS.get(fmt, (None, False))
    if locale is None or locale.language == DEFAULT_LOCALE or skeleton is None:
        return value.strftime(fmt)
    text = dates.format_skeleton(skeleton, value, locale=locale)
    if with_time:
        text += " " + dates.format_skeleton("Hm", value, locale=locale)
    return text


def format_number(value, digits=None):
    """Format a number with the page language's separators (`digits` after the point)."""
    if value is None:
        return ""
    locale = get_locale() or DEFAULT_LOCALE
    if digits is None:
        return numbers.format_decimal(value, locale=locale)
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return numbers.format_decimal(value, format=pattern, locale=locale)


def vary_by_language(response):
    """Tell shared caches that pages differ by the browser's language and the chooser's cookie."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


# -- lazy strings in pages ---------------------------------------------------------------------

def _escaped(value):
    """A value formatted into a message: text is escaped (markup it already is stays as it
    is); numbers stay numbers, for `%(num)d`."""
    return escape(value) if isinstance(value, str | LazyString) else value


# The functions behind Flask-Babel's lazy strings that format values into a message (a
# domain's methods, or the functions of the default domain).
FORMATTING = {getattr(owner, name) for owner in (flask_babel, flask_babel.Domain)
              for name in ("gettext", "ngettext", "pgettext", "npgettext")}


def _lazy_html(lazy):
    """What a page shows of a lazy string: the translation's own text is trusted (it may hold
    markup, like the templates' messages), the values formatted into it are not."""
    function = getattr(lazy._func, "__func__", lazy._func)
    if not lazy._kwargs or function not in FORMATTING:
        return Markup(str(lazy))
    variables = {name: _escaped(value) for name, value in lazy._kwargs.items()}
    return Markup(lazy._func(*lazy._args, **variables))


def guard_lazy_strings():
    """Flask-Babel's lazy strings say they are safe HTML as a whole (`__html__`), so that Jinja
    would show a name formatted into one, `<script>` and all, unescaped. Escape the values."""
    LazyString.__html__ = _lazy_html


def init_app(app):
    """Set up Flask-Babel, the chooser's route and the language helpers of templates."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    # One Babel per app: Flask-Babel keeps the loaded catalogues on its Babel object, keyed
    # by language alone, so apps reading other catalogue folders must not share one.
    Babel(app, locale_selector=select_locale)
    guard_lazy_strings()
    app.register_blueprint(bp)
    app.after_request(vary_by_language)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language,
                                 language_name=language_name)
    # `{% trans %}` blocks written over several lines are one message with single spaces
    # (babel.cfg extracts them the same way).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
