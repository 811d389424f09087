"""Reading words and phrases out of what was typed, and the text helpers it needs."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from nanum.search.query.nodes import And, Node, Phrase, Word, combine

# -- text helpers -----------------------------------------------------------------------------

QUOTES = '"“”„'
OPERATORS = frozenset({"AND", "OR", "NOT"})
INNER = "-'’._"  # kept inside a word: e-governance, women's, 11.5, drr_resilience
WILDCARDS = "*?"
FIELD_RE = re.compile(r"([A-Za-z][A-Za-z_-]*):(.*)", re.S)
FIELD_NAME_RE = re.compile(r"[A-Za-z][A-Za-z_-]*:")
QUIET_NAMES = frozenset({"http", "https", "ftp", "mailto"})
VALUE_EDGES = " \t\r\n,;!?'\"“”‘’„"


def is_core(ch: str) -> bool:
    """Return whether a character is a letter, digit or combining mark."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def trim(text: str, lead: str = "", tail: str = "") -> str:
    """Strip surrounding punctuation, keeping the given characters at either end."""
    start, end = 0, len(text)
    while start < end and not (is_core(text[start]) or text[start] in lead):
        start += 1
    while end > start and not (is_core(text[end - 1]) or text[end - 1] in tail):
        end -= 1
    return text[start:end]


def pieces(text: str, keep: str) -> list[str]:
    """Split text at every character that cannot be part of a word."""
    pieces: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in keep or is_core(ch):
            current.append(ch)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


def fold_text(text: str) -> str:
    """Fold case and accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def compact(text: str) -> str:
    """Fold text to its letters and digits only, so "Viet Nam" equals "Vietnam"."""
    return "".join(ch for ch in fold_text(text.replace("&", "and")) if ch.isalnum())


def spaced(text: str) -> str:
    """Fold text to words separated by single spaces."""
    folded = fold_text(text.replace("&", " and "))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def quoted(text: str) -> str:
    """Quote user input for a note, on one line and cut short."""
    text = " ".join(str(text).split())
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


# -- words and phrases ------------------------------------------------------------------------


def word_node(text: str, notes: list[str]) -> Node | None:
    """Turn one typed token into words; several pieces ("flood,drought") are ANDed."""
    nodes = [_piece_node(piece, notes) for piece in pieces(text, INNER + WILDCARDS)]
    return combine(And, [node for node in nodes if node is not None])


def _piece_node(piece: str, notes: list[str]) -> Word | None:
    """Turn one piece into a word, reading a trailing * as a prefix search."""
    # A trailing "?" is a question mark, not a wildcard, so only "*" survives at the end.
    text = trim(piece, lead=WILDCARDS, tail="*")
    if not text:
        return None
    if "*" not in text and "?" not in text:
        return Word(text.lower())
    body = text.rstrip("*")
    if body and "*" not in body and "?" not in body:
        return _prefix_node(trim(body), notes)
    rest = trim(text.replace("*", "").replace("?", ""))
    if not rest:
        if "*" in text:
            notes.append(_("A lone “*” was ignored."))
        return None
    rest = rest.lower()
    notes.append(_("Wildcards are only allowed at the end of a word; searched for %(quoted)s "
                   "instead.", quoted=quoted(rest)))
    return Word(rest)


def _prefix_node(body: str, notes: list[str]) -> Word | None:
    """Return a prefix word, or the plain word when the prefix is too short to be useful."""
    if not body:
        notes.append(_("A lone “*” was ignored."))
        return None
    body = body.lower()
    if len(body) >= 3:
        return Word(body, prefix=True)
    notes.append(_("Wildcards need at least three letters before the *; searched for %(quoted)s.",
                   quoted=quoted(body)))
    return Word(body)


def phrase_node(text: str) -> Word | Phrase | None:
    """Turn the inside of quotes into a phrase; one word is just a word."""
    words = tuple(word.lower() for word in (trim(p) for p in pieces(text, INNER)) if word)
    if not words:
        return None
    return Word(words[0]) if len(words) == 1 else Phrase(words)


def unclosed_note(value: str) -> str:
    """Say how an unclosed quote was read."""
    shown = " ".join(pieces(value, INNER))
    if not shown:
        return "A quote was not closed; it was ignored."
    return f"A quote was not closed; {quoted(shown)} was read as a phrase to the end."
