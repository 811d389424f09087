"""Snippets: the passages of a text around the words searched for, escaped, with marks."""

import re
from bisect import bisect_left, bisect_right
from html import escape

from nanum.search import analysis

_WORD = re.compile(r"\w+")
ALTERNATION_LIMIT = 12  # matching words found by one regular expression, at most


class Marker:
    """Tells which words of texts match the words searched for.

    Each distinct word is analysed once for all the texts it is asked about (a page's
    twenty texts share most of their words); a text's matches are then set operations.
    """

    def __init__(self, words, prefixes=()):
        self.wanted = set(analysis.terms(" ".join(words)))
        self.folded = [analysis.fold(prefix) for prefix in prefixes if analysis.fold(prefix)]
        self.seen = set()  # every word decided so far
        self.matches = set()  # those of them that match

    def matching(self, text):
        """Return the distinct words of the text that match."""
        surfaces = set(_WORD.findall(text))
        new = surfaces - self.seen
        if new:
            self.seen |= new
            self.matches.update(surface for surface in new if self._matches(surface))
        found = surfaces & self.matches
        found.discard("")
        return found

    def _matches(self, surface):
        wanted, folded = self.wanted, self.folded
        return (analysis.term(surface) in wanted
                or (not surface.isascii() and not wanted.isdisjoint(analysis.word_terms(surface)))
                or (folded and any(analysis.fold(surface).startswith(p) for p in folded)))


def snippet(text, words, prefixes=(), top=2, maxchars=220, marker=None):
    """Return up to `top` passages of text around the matched words, escaped, marked.

    Regular expressions find the words in C; each distinct word of the text is analysed
    once (and cached), which is what keeps twenty snippets within a few milliseconds. A
    page's snippets share one `marker` (a `Marker` of the same words and prefixes), so that
    a word of several texts is decided once.
    """
    matching = (marker or Marker(words, prefixes)).matching(text)
    if not matching:
        return ""
    spans = _spans(text, matching)
    passages = []
    windows = _windows(text, spans, top, maxchars)
    for start, end in windows:
        parts, cursor = [], start
        for match_start, match_end in spans[bisect_left(spans, (start, 0)):]:
            if match_start >= end:
                break
            if match_end <= end:
                parts += [escape(text[cursor:match_start]), "<mark>",
                          escape(text[match_start:match_end]), "</mark>"]
                cursor = match_end
        parts.append(escape(text[cursor:end]))
        passages.append("".join(parts).strip())
    return (("… " if windows[0][0] > 0 else "") + " … ".join(passages)
            + (" …" if windows[-1][1] < len(text) else ""))


def _spans(text, matching):
    """Return the (start, end) of every whole word of the text that is in `matching`.

    A few words are found by one regular expression, in C; an alternation of many (a
    prefix query) costs (text) x (words), so those are found in one pass over every word.
    """
    if len(matching) <= ALTERNATION_LIMIT:
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(
            re.escape(word) for word in sorted(matching, key=len, reverse=True)) + r")(?!\w)")
        return [found.span() for found in pattern.finditer(text)]
    return [found.span() for found in _WORD.finditer(text) if found.group() in matching]


def _windows(text, spans, top, maxchars):
    """Choose up to `top` non-overlapping windows holding the most distinct matches."""
    starts = [a for a, _b in spans]
    ends = [b for _a, b in spans]
    firsts = starts[:40]  # the first matches are plenty to choose from
    reach = firsts[-1] + maxchars  # no window ends beyond this
    words = [text[a:b].lower() for a, b in spans[:bisect_left(starts, reach)]]
    candidates = []
    for match_start in firsts:
        start = max(0, match_start - maxchars // 4)
        end = min(len(text), start + maxchars)
        # The matches wholly inside the window: starting at or after it, ending by its end.
        inside = words[bisect_left(starts, start):bisect_right(ends, end)]
        candidates.append((len(set(inside)), -start, start, end))
    candidates.sort(reverse=True)
    chosen = []
    for _count, _order, start, end in candidates:
        if len(chosen) == top:
            break
        if not any(start < b and a < end for a, b in chosen):
            chosen.append((start, end))
    return sorted(_snap(text, start, end) for start, end in chosen)


def _snap(text, start, end):
    """Move window edges to word boundaries."""
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.find(" ", end, end + 20)
        end = space if space != -1 else end
    return start, end
