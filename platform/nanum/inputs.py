"""Numbers and text from a request, read so that no value can cause an error page.

Ids are INTEGER columns (32 bits on PostgreSQL, 64 on SQLite): a larger number in a URL is
a page that does not exist, never an overflow in the database driver. Query strings and
forms reach the views without control characters, so a NUL byte is never stored or echoed.
"""

import re

from flask import Request, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

ID_MAX = 2**31 - 1  # the largest value of an INTEGER column on every database we run on
PAGE_MAX = 100_000  # further than any list goes; a page past the end shows the last one
# C0 controls and DEL, except tab, newline and carriage return, which text may hold.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: only the numbers an id column can hold; others are a 404."""

    regex = r"[0-9]+"  # not `\d`, which also takes other scripts' digits

    def __init__(self, map, fixed_digits=0, min=None, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def without_controls(text):
    return CONTROL.sub("", text)


class CleanMultiDict(ImmutableMultiDict):
    """Query-string and form values (and their keys) with control characters removed."""

    def __init__(self, mapping=None):
        if isinstance(mapping, list):  # how Werkzeug's parsers hand over what they read
            mapping = [(without_controls(key), without_controls(value)
                        if isinstance(value, str) else value) for key, value in mapping]
        super().__init__(mapping)


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict


def integer(raw, default=None, *, low=1, high=ID_MAX):
    """Return `raw` as a whole number from `low` to `high`, or `default` for anything else
    (words, fractions, other digit scripts, numbers out of range)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    else:
        text = str(raw if raw is not None else "").strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            return default
        number = int(text)
    return number if low <= number <= high else default


def int_arg(name, default=None, *, low=1, high=ID_MAX, source=None):
    """Return a bounded whole number from the query string (or `source`), else `default`."""
    return integer((request.args if source is None else source).get(name), default,
                   low=low, high=high)


def page_arg(source=None):
    """Return the page a list was asked for: 1 unless `page` is a positive whole number.

    A page past the end is answered with the last page, by `paginate` or the service.
    """
    raw = (request.args if source is None else source).get("page", "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    return max(1, min(int(raw), PAGE_MAX)) if len(raw) <= 9 else PAGE_MAX


def init_app(app):
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter
