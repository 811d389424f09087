"""What a brief says: the practice's facts and its sections, cut to a budget of characters.

Sections are read from their cooked HTML as blocks (paragraphs, list items, headings), so
that a list stays a list on paper. A section longer than its budget keeps its first whole
blocks, then as many whole sentences of the next as fit, and ends with "…"; the brief then
says that the full text is online. Every step is one pass over text of bounded length.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from nanum import markdown
from nanum.briefs.labels import labels, months
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

# Characters of each section at full size; `build` scales them down until the brief fits.
BUDGETS = {"summary": 600, "context": 800, "implementation": 1300, "results": 900,
           "lessons": 700}
SECTIONS = (("context", "problem"), ("implementation", "done"), ("results", "results"),
            ("lessons", "lessons"))
TARGETS_WITH_TEXT = 6  # targets shown with their text; the others by their keys
TARGETS_LISTED = 30  # keys shown at all; the rest are counted
TARGET_TEXT = 110  # characters of a target's text
ELLIPSIS = "…"

# A sentence ends at . ! ? or … before a space, or at a full stop of CJK scripts.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")
_BLOCK_TAGS = {"p", "li", "h3", "h4", "h5", "h6", "pre", "tr"}


@dataclass
class Block:
    kind: str  # "p", "li" or "h"
    text: str
    marker: str = ""  # "•" or "3." before a list item


@dataclass
class Section:
    key: str
    title: str
    blocks: list = field(default_factory=list)
    cut: bool = False


class _Blocks(HTMLParser):
    """Split sanitised HTML into blocks of text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.lists = []  # for each open list: the number of its next item, or None
        self.current = None

    def _close(self):
        if self.current is not None:
            self.current.text = " ".join(self.current.text.split())
            if self.current.text:
                self.blocks.append(self.current)
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._close()
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._close()
            number = self.lists[-1] if self.lists else None
            if number is not None:
                self.lists[-1] += 1
            self.current = Block("li", "", f"{number}." if number else "•")
        elif tag in _BLOCK_TAGS:
            if not (tag == "p" and self.current is not None and self.current.kind == "li"):
                self._close()
                self.current = Block("h" if tag.startswith("h") else "p", "")
        elif tag in ("br", "td", "th") and self.current is not None:
            self.current.text += " "

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag in _BLOCK_TAGS and not (tag == "p" and self.current is not None
                                         and self.current.kind == "li"):
            self._close()

    def handle_data(self, data):
        if self.current is None:
            self.current = Block("p", "")
        self.current.text += data


def blocks_of(html):
    """Return the blocks of text of a piece of sanitised HTML."""
    parser = _Blocks()
    parser.feed(str(html))
    parser.close()
    parser._close()
    return parser.blocks


def sentences_within(text, limit):
    """Return the longest run of whole sentences of `text` within `limit` characters."""
    end = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > limit:
            break
        end = match.start()
    return text[:end].rstrip()


def fit(blocks, limit):
    """Return (the blocks within `limit` characters, whether any were cut)."""
    kept, used = [], 0
    for block in blocks:
        if used + len(block.text) <= limit:
            kept.append(block)
            used += len(block.text)
            continue
        room = limit - used
        part = sentences_within(block.text, room)
        if not part and not kept:  # not one sentence fits: cut at a word
            part = markdown.shorten(block.text, max(room, 1)).rstrip(ELLIPSIS)
        if part:
            kept.append(Block(block.kind, part, block.marker))
        if kept:
            kept[-1] = Block(kept[-1].kind, f"{kept[-1].text} {ELLIPSIS}", kept[-1].marker)
        return kept, True
    return kept, False


def _section(practice, key, title, limit):
    section = Section(key, title)
    section.blocks, section.cut = fit(blocks_of(practice.html(key)), limit)
    return section


def _targets(practice, scale):
    """Return (targets with their texts, keys shown without text, keys left uncounted)."""
    keys = practice.target_keys
    with_text = max(1, round(TARGETS_WITH_TEXT * scale))
    described = [(key, markdown.shorten(sdg.TARGETS[key].text, TARGET_TEXT))
                 for key in keys[:with_text] if key in sdg.TARGETS]
    listed = keys[with_text:TARGETS_LISTED]
    return described, listed, max(0, len(keys) - TARGETS_LISTED)


def _amount(value):
    return f"{value:,.2f}".removesuffix(".00")


def _resources(practice, words):
    """Return (label, value) pairs of the practice's cost, staff and duration."""
    found = []
    if practice.budget_amount is not None:
        budget = f"{_amount(practice.budget_amount)} {practice.budget_currency or ''}".strip()
        if practice.budget_year:
            budget += f" ({practice.budget_year})"
        found.append((words["budget"], budget))
    if practice.staff_fte is not None:
        fte = f"{float(practice.staff_fte):g}"
        found.append((words["staff"], words["staff_value"].format(fte=fte)))
    if practice.duration_months:
        found.append((words["duration"], months(practice.duration_months, words)))
    return found


def _place(practice):
    countries = [country.name for country in practice.countries]
    return ", ".join(countries + practice.regions)


def build(practice, link, scale=1.0):
    """Return what the brief of `practice` shows, its sections cut to `scale` of their
    budgets; `link` is the practice's address."""
    words = labels()
    summary, summary_cut = fit(blocks_of(practice.html("summary")),
                               int(BUDGETS["summary"] * scale))
    sections = [_section(practice, key, words[title], int(BUDGETS[key] * scale))
                for key, title in SECTIONS]
    described, listed, unlisted = _targets(practice, scale)
    return {
        "practice": practice,
        "words": words,
        "language": practice.language or "en",
        "link": link,
        "organisation": practice.organisation,
        "place": _place(practice),
        "goals": [sdg.GOALS[number] for number in practice.goal_numbers
                  if number in sdg.GOALS],
        "described_targets": described,
        "listed_targets": listed,
        "unlisted_targets": unlisted,
        "summary": summary,
        "summary_cut": summary_cut,
        "sections": sections,
        "profile": practice.context_profile(),
        "resources": _resources(practice, words),
        "draft": not practice.is_published,
        "made": words["made"].format(updated=practice.updated_at.strftime("%d %b %Y"),
                                     today=utcnow().strftime("%d %b %Y")),
    }
