"""Markdown from users, cooked once into sanitised HTML and plain text.

The parser is cmark-gfm, GitHub's C implementation of CommonMark with its table,
strikethrough and autolink extensions: its time is linear in the input and it is fuzzed
continuously for that, so no text a user writes can tie up a worker (a 20,000-character run
of `[` takes milliseconds). Raw HTML in the source is omitted by the parser, and the
allow-list below cleans the result again.
"""

import html
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr",
    "th", "td", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["table", "strikethrough", "autolink"]
OPTIONS = Options.CMARK_OPT_VALIDATE_UTF8 | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE

# Bounded and behind a fixed-width look-behind: one pass over the text, no backtracking.
MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]{0,39})", re.IGNORECASE)
# cmark escapes every "<" and ">" in text and attribute values, so in its output each "<"
# opens a tag that the next ">" closes: one linear pass splits tags from text.
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?([a-z0-9]+)")
# The sanitiser's HTML parser takes time growing with the square of the nesting depth
# (1,000 nested quotes: 20 ms; 4,000: 0.6 s), so deeper elements are flattened first.
MAX_DEPTH = 32
_NOT_LINKED = {"a", "code", "pre"}


def _tidy(rendered, mentions):
    """Flatten elements nested deeper than MAX_DEPTH (keeping their text) and link the
    @handles of known people (`mentions`: handle -> address) outside code and links."""
    if not mentions and rendered.count("<") - rendered.count("</") <= MAX_DEPTH:
        return rendered  # fewer start tags than the limit: none can be nested deeper
    parts = _TAG.split(rendered)
    open_tags = []  # (name, kept) of each open element
    not_linked = 0  # open <a>, <code> and <pre>
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if mentions and not not_linked and "@" in part:
                parts[index] = MENTION.sub(lambda found: _mention(found, mentions), part)
            continue
        name = _TAG_NAME.match(part)
        if name is None or part.endswith("/>"):  # a comment or an empty element
            continue
        name = name.group(1)
        if part.startswith("</"):
            while open_tags:  # cmark's output is balanced: this is the element's own end
                opened, kept = open_tags.pop()
                if opened == name:
                    break
            else:
                kept = True
            not_linked -= name in _NOT_LINKED
        else:
            kept = len(open_tags) < MAX_DEPTH
            open_tags.append((name, kept))
            not_linked += name in _NOT_LINKED
        if not kept:
            parts[index] = ""
    return "".join(parts)


def _mention(found, mentions):
    href = mentions.get(found.group(1).lower())
    if href is None:
        return found.group(0)
    return f'<a href="{html.escape(href)}">{found.group(0)}</a>'


# Built once: `nh3.clean` builds its allow-lists again on every call, which took three
# quarters of its time on a paragraph.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow ugc noopener",
    strip_comments=True,
)


def _sanitise(rendered):
    return _CLEANER.clean(rendered)


def cook(source, mentions=None):
    """Return (safe HTML, plain text) of user Markdown; raw HTML in the source is dropped.

    `mentions` maps lower-case handles to profile addresses: those @handles become links.
    """
    if not source or not source.strip():
        return "", ""
    rendered = cmarkgfm.markdown_to_html_with_extensions(
        source, options=OPTIONS, extensions=EXTENSIONS)
    clean = _sanitise(_tidy(rendered, mentions))
    return clean, " ".join(_plain(clean).split())


# The sanitiser's output escapes "<" and ">" everywhere (attribute values too), and in text
# it writes no other entity than these: so dropping its tags and replacing these (`&amp;`
# last) gives the text exactly, so that templates escape it exactly once.
_TEXT_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\xa0"), ("&amp;", "&"))


def _plain(clean):
    text = _TAG.sub("", clean)
    for entity, character in _TEXT_ENTITIES:
        text = text.replace(entity, character)
    return text


def plain_text(clean):
    """Return the plain text of HTML this module cooked, its spaces folded."""
    return " ".join(_plain(clean).split())


def render(source):
    """Return the safe HTML of user Markdown (for previews of text not saved yet)."""
    return Markup(cook(source)[0])


def shorten(text, limit):
    """Cut plain text at a word boundary before `limit` characters, marking the cut."""
    if not limit or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
