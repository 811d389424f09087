"""Markdown from users, rendered and sanitised with an allow-list."""

import html

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr",
    "th", "td", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text):
    """Render user Markdown to safe HTML; raw HTML in the source is dropped."""
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["tables", "sane_lists", "fenced_code"],
                       output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
    return Markup(clean)


def plain(text, limit=None):
    """Return the text content of user Markdown, optionally cut at a word boundary."""
    rendered = md.markdown(text or "")
    # nh3 returns escaped text; unescape so that templates escape it exactly once.
    words = html.unescape(nh3.clean(rendered, tags=set())).split()
    result = " ".join(words)
    if limit and len(result) > limit:
        result = result[:limit].rsplit(" ", 1)[0] + "…"
    return result
