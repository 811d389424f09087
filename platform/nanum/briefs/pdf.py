"""Render a brief to PDF with WeasyPrint, on one page, without touching the network.

The HTML and its stylesheet are this app's own templates, the fonts are the system's
(fontconfig), and the QR code is drawn inline: nothing is fetched, and the URL fetcher
refuses any address all the same, so that no text a user wrote can make the server fetch.
"""

import segno
from flask import render_template
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from nanum.briefs import content

# Each try cuts the sections to a smaller share of their budgets, until the brief fits.
SCALES = (1.0, 0.75, 0.55, 0.4, 0.28, 0.18)


class FetchRefused(ValueError):
    """The brief asked for a resource: it never should."""


class NoFetching(URLFetcher):
    """A WeasyPrint URL fetcher that fetches nothing, whatever the address."""

    def fetch(self, url, headers=None):
        raise FetchRefused(f"The brief does not fetch {url[:80]!r}.")


def qr_code(link):
    """Return the SVG of a QR code of `link`, to be drawn inline: segno's own markup, which
    encodes the link in its squares, so no text of the link reaches the page unescaped."""
    return Markup(segno.make(link, error="m").svg_inline(scale=2, border=0, omitsize=True))


def html(practice, link, scale=1.0, qr=None):
    """Return the brief's HTML at `scale` of the section budgets."""
    return render_template("briefs/brief.html", qr=qr or qr_code(link),
                           **content.build(practice, link, scale))


def layout(source):
    """Lay the HTML out on pages; return WeasyPrint's document."""
    return HTML(string=source, url_fetcher=NoFetching(), base_url=None).render()


def render(practice, link):
    """Return (the brief's PDF bytes, its number of pages), cut until it fits on one page."""
    qr = qr_code(link)
    for scale in SCALES:
        document = layout(html(practice, link, scale, qr))
        if len(document.pages) == 1:
            break
    # Past the smallest scale (a title and 169 targets, say) the brief runs on: nothing lost.
    return document.write_pdf(), len(document.pages)
