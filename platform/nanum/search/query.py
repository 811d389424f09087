"""Read what a user typed into the search box as a small query tree, leniently.

The parser never raises: whatever it cannot use it drops or reinterprets, and says so in a
short note for the user. Work is bounded by the input cap, the term cap and the nesting cap,
so hostile input costs no more than a long ordinary query.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pycountry

from nanum.organisations.regions import (
    COUNTRY_CHOICES,
    SUBREGIONS,
    intermediate_of,
    is_country,
    region_of,
)
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices.vocab import CONTEXT_FIELDS, KINDS, THEME_SHORT, THEMES
from nanum.taxonomy.sdg import normalise_key

__all__ = ["And", "Field", "Node", "Not", "Or", "Parsed", "Phrase", "Word", "parse", "to_text"]

MAX_CHARS = 500
MAX_TERMS = 30
MAX_DEPTH = 10
YEAR_MIN = 1950
YEAR_MAX = 2100


# -- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A plain word as typed (lower-cased, not stemmed), optionally a prefix."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """The lower-cased words of a quoted phrase, to be found next to each other."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """A filter on one facet: a canonical field name and its value."""

    name: str
    value: object


@dataclass(frozen=True)
class Not:
    """Everything except what the child matches."""

    child: Node


@dataclass(frozen=True)
class And:
    """What all the children match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """What any of the children matches."""

    children: tuple[Node, ...]


Node = Word | Phrase | Field | Not | And | Or
_NODES = (Word, Phrase, Field, Not, And, Or)


@dataclass
class Parsed:
    """A parsed query: the tree (None when nothing is searchable) and notes for the user."""

    node: Node | None
    notes: list[str]
    explicit_and: bool = False  # an AND was typed: never widen the search to any word

    def words(self) -> list[str]:
        """Return the words to highlight: positive words and phrase words, in order, once."""
        found: dict[str, None] = {}
        for leaf in _positive(self.node):
            if isinstance(leaf, Word):
                found.setdefault(leaf.text)
            elif isinstance(leaf, Phrase):
                for word in leaf.words:
                    found.setdefault(word)
        return list(found)

    def has_text(self) -> bool:
        """Return whether any word or phrase is searched for outside a NOT."""
        return any(isinstance(leaf, Word | Phrase) for leaf in _positive(self.node))

    def fields(self) -> list[Field]:
        """Return the filters outside a NOT, in order."""
        return [leaf for leaf in _positive(self.node) if isinstance(leaf, Field)]


def _positive(node: object) -> Iterator[object]:
    """Yield the leaves that are not under a NOT."""
    if node is None or isinstance(node, Not):
        return
    if isinstance(node, And | Or):
        for child in node.children:
            yield from _positive(child)
    else:
        yield node


def _combine(kind: type, nodes: list) -> Node | None:
    """Join nodes with And or Or, flattening same-kind children and dropping repeats."""
    flat: dict = {}
    for node in nodes:
        for child in node.children if isinstance(node, kind) else (node,):
            flat.setdefault(child, None)
    if not flat:
        return None
    if len(flat) == 1:
        return next(iter(flat))
    return kind(tuple(flat))


def _negate(node: Node) -> Node:
    """Return NOT node; a double negation cancels out."""
    return node.child if isinstance(node, Not) else Not(node)


def _count(node: object) -> int:
    """Return how many words, phrases and filters a node holds."""
    if isinstance(node, And | Or):
        return sum(_count(child) for child in node.children)
    if isinstance(node, Not):
        return _count(node.child)
    return 0 if node is None else 1


# -- text helpers -----------------------------------------------------------------------------

_QUOTES = '"“”„'
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_INNER = "-'’._"  # kept inside a word: e-governance, women's, 11.5, drr_resilience
_WILDCARDS = "*?"
_FIELD_RE = re.compile(r"([A-Za-z][A-Za-z_-]*):(.*)", re.S)
_FIELD_NAME_RE = re.compile(r"[A-Za-z][A-Za-z_-]*:")
_QUIET_NAMES = frozenset({"http", "https", "ftp", "mailto"})
_VALUE_EDGES = " \t\r\n,;!?'\"“”‘’„"


def _is_core(ch: str) -> bool:
    """Return whether a character is a letter, digit or combining mark."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def _trim(text: str, lead: str = "", tail: str = "") -> str:
    """Strip surrounding punctuation, keeping the given characters at either end."""
    start, end = 0, len(text)
    while start < end and not (_is_core(text[start]) or text[start] in lead):
        start += 1
    while end > start and not (_is_core(text[end - 1]) or text[end - 1] in tail):
        end -= 1
    return text[start:end]


def _pieces(text: str, keep: str) -> list[str]:
    """Split text at every character that cannot be part of a word."""
    pieces: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in keep or _is_core(ch):
            current.append(ch)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


def _fold(text: str) -> str:
    """Fold case and accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _compact(text: str) -> str:
    """Fold text to its letters and digits only, so "Viet Nam" equals "Vietnam"."""
    return "".join(ch for ch in _fold(text.replace("&", "and")) if ch.isalnum())


def _spaced(text: str) -> str:
    """Fold text to words separated by single spaces."""
    folded = _fold(text.replace("&", " and "))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def _q(text: str) -> str:
    """Quote user input for a note, on one line and cut short."""
    text = " ".join(str(text).split())
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


# -- words and phrases ------------------------------------------------------------------------


def _word_node(text: str, notes: list[str]) -> Node | None:
    """Turn one typed token into words; several pieces ("flood,drought") are ANDed."""
    nodes = [_piece_node(piece, notes) for piece in _pieces(text, _INNER + _WILDCARDS)]
    return _combine(And, [node for node in nodes if node is not None])


def _piece_node(piece: str, notes: list[str]) -> Word | None:
    """Turn one piece into a word, reading a trailing * as a prefix search."""
    # A trailing "?" is a question mark, not a wildcard, so only "*" survives at the end.
    text = _trim(piece, lead=_WILDCARDS, tail="*")
    if not text:
        return None
    if "*" not in text and "?" not in text:
        return Word(text.lower())
    body = text.rstrip("*")
    if body and "*" not in body and "?" not in body:
        return _prefix_node(_trim(body), notes)
    rest = _trim(text.replace("*", "").replace("?", ""))
    if not rest:
        if "*" in text:
            notes.append("A lone “*” was ignored.")
        return None
    rest = rest.lower()
    notes.append(f"Wildcards are only allowed at the end of a word; searched for {_q(rest)} "
                 "instead.")
    return Word(rest)


def _prefix_node(body: str, notes: list[str]) -> Word | None:
    """Return a prefix word, or the plain word when the prefix is too short to be useful."""
    if not body:
        notes.append("A lone “*” was ignored.")
        return None
    body = body.lower()
    if len(body) >= 3:
        return Word(body, prefix=True)
    notes.append(f"Wildcards need at least three letters before the *; searched for {_q(body)}.")
    return Word(body)


def _phrase_node(text: str) -> Word | Phrase | None:
    """Turn the inside of quotes into a phrase; one word is just a word."""
    words = tuple(word.lower() for word in (_trim(p) for p in _pieces(text, _INNER)) if word)
    if not words:
        return None
    return Word(words[0]) if len(words) == 1 else Phrase(words)


def _unclosed_note(value: str) -> str:
    """Say how an unclosed quote was read."""
    shown = " ".join(_pieces(value, _INNER))
    if not shown:
        return "A quote was not closed; it was ignored."
    return f"A quote was not closed; {_q(shown)} was read as a phrase to the end."


# -- filters ----------------------------------------------------------------------------------

_FILTER_LIST = "Filters: sdg:, country:, region:, type:, theme:, kind:, year:, is:"


def _sdg(value: str, notes: list[str]) -> Field | None:
    """Read an SDG goal or target."""
    value = value.rstrip(".").lower()
    key = normalise_key(value)
    if key is not None:
        return Field("target" if "." in key else "goal", key)
    if re.fullmatch(r"[0-9]{1,3}\.[0-9a-z]{1,3}", value):
        notes.append(f"There is no SDG target {value}; that filter was ignored.")
    elif re.fullmatch(r"[0-9]{1,3}", value):
        notes.append(f"There is no SDG {value}; that filter was ignored.")
    else:
        notes.append(f"There is no SDG {_q(value)}; that filter was ignored.")
    return None


def _country_index() -> dict[str, str]:
    """Map folded country names and codes to alpha-2 codes; display names win clashes."""
    index: dict[str, str] = {}
    for code, name in COUNTRY_CHOICES:
        index.setdefault(_compact(name), code)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_compact(value), country.alpha_2)
    return index


_COUNTRIES = _country_index()


def _country(value: str, notes: list[str]) -> Field | None:
    """Read a country by alpha-2 code or by name."""
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha() and is_country(text):
        return Field("country", text.upper())
    code = _COUNTRIES.get(_compact(text))
    if code is not None:
        return Field("country", code)
    notes.append(f"There is no country {_q(text)}; that filter was ignored.")
    return None


def _region_index() -> dict[str, str]:
    """Map folded M49 region, sub-region and intermediate names to their spelling."""
    codes = [code for code, _ in COUNTRY_CHOICES]
    names = set(SUBREGIONS)
    names.update(name for name in map(region_of, codes) if name)
    names.update(name for name in map(intermediate_of, codes) if name)
    return {_compact(name): name for name in sorted(names)}


_REGIONS = _region_index()


def _region(value: str, notes: list[str]) -> Field | None:
    """Read an M49 region, sub-region or intermediate region by name."""
    name = _REGIONS.get(_compact(value))
    if name is not None:
        return Field("region", name)
    notes.append(f"There is no region {_q(value)}; that filter was ignored.")
    return None


_ORG_TYPES = {key.casefold(): key for key in ORG_TYPES} | {
    "ministry": "NGM",
    "ministries": "NGM",
    "ngo": "CSO",
    "ngos": "CSO",
    "civilsociety": "CSO",
    "university": "ACADEMIA",
    "universities": "ACADEMIA",
}


def _org_type(value: str, notes: list[str]) -> Field | None:
    """Read an organisation type by key or one of a few everyday names."""
    key = _ORG_TYPES.get(_compact(value))
    if key is not None:
        return Field("org_type", key)
    notes.append(f"There is no organisation type {_q(value)}; that filter was ignored. "
                 f"Types: {', '.join(ORG_TYPES)}.")
    return None


def _choices(*vocabularies: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Fold each key of a vocabulary together with its labels, for matching."""
    return {
        key: tuple(_spaced(text) for text in (key, *(v.get(key, "") for v in vocabularies)) if text)
        for key in vocabularies[0]
    }


_VOCABULARIES = {
    "theme": _choices(THEMES, THEME_SHORT),
    "kind": _choices(KINDS),
    **{name: _choices(choices) for name, (_, choices) in CONTEXT_FIELDS.items()},
}


def _match_choice(value: str, choices: dict[str, tuple[str, ...]]) -> tuple[str | None, bool]:
    """Return the key the value names exactly or by word prefix, and whether it was ambiguous."""
    wanted = _spaced(value)
    if not wanted:
        return None, False
    exact = [key for key, texts in choices.items() if wanted in texts]
    if len(exact) == 1:
        return exact[0], False
    hits = [key for key, texts in choices.items() if any(f" {wanted}" in f" {t}" for t in texts)]
    if len(hits) == 1:
        return hits[0], False
    return None, len(hits) > 1


def _vocabulary(name: str) -> Callable[[str, list[str]], Field | None]:
    """Make the reader of a filter whose values come from a controlled vocabulary."""
    choices = _VOCABULARIES[name]
    label = name.replace("_", " ")

    def read(value: str, notes: list[str]) -> Field | None:
        key, ambiguous = _match_choice(value, choices)
        if key is not None:
            return Field(name, key)
        listed = ", ".join(choices)
        if ambiguous:
            notes.append(f"{_q(value)} matches more than one {label}; that filter was ignored. "
                         f"Choices: {listed}.")
        else:
            notes.append(f"There is no {label} {_q(value)}; that filter was ignored. "
                         f"Choices: {listed}.")
        return None

    return read


_YEAR_RANGE = re.compile(r"([0-9]{4})?\s*(?:\.\.|-|–|—)\s*([0-9]{4})?")


def _year(value: str, notes: list[str]) -> Field | None:
    """Read a year, a year range or an open-ended range."""
    text = value.strip()
    match = _YEAR_RANGE.fullmatch(text)
    if re.fullmatch(r"[0-9]{4}", text):
        low = high = int(text)
    elif match and any(match.groups()):
        low = int(match.group(1)) if match.group(1) else YEAR_MIN
        high = int(match.group(2)) if match.group(2) else YEAR_MAX
    else:
        notes.append(f"The year {_q(text)} was not understood; that filter was ignored. "
                     "Try year:2019 or year:2019..2023.")
        return None
    if not (YEAR_MIN <= low <= YEAR_MAX and YEAR_MIN <= high <= YEAR_MAX):
        notes.append(f"Years must be between {YEAR_MIN} and {YEAR_MAX}; "
                     "that filter was ignored.")
        return None
    if low > high:
        low, high = high, low
        notes.append(f"The year range was reversed; it was read as {low}..{high}.")
    return Field("year", (low, high))


_CONTENT = {
    "practice": "practice",
    "practices": "practice",
    "organisation": "organisation",
    "organisations": "organisation",
    "organization": "organisation",
    "organizations": "organisation",
    "org": "organisation",
    "orgs": "organisation",
    "post": "post",
    "posts": "post",
}


def _content(value: str, notes: list[str]) -> Field | None:
    """Read which kind of content to show."""
    content = _CONTENT.get(_compact(value))
    if content is not None:
        return Field("content", content)
    notes.append(f"“is:” takes practice, organisation or post, not {_q(value)}; "
                 "that filter was ignored.")
    return None


_READERS: dict[str, Callable[[str, list[str]], Field | None]] = {
    "sdg": _sdg,
    "country": _country,
    "region": _region,
    "org_type": _org_type,
    "year": _year,
    "content": _content,
    **{name: _vocabulary(name) for name in _VOCABULARIES},
}

# Typed names (lower-case, without "_" and "-") of each filter; canonical names work too.
_FIELD_NAMES = {
    "sdg": "sdg",
    "sdgs": "sdg",
    "goal": "sdg",
    "target": "sdg",
    "country": "country",
    "region": "region",
    "type": "org_type",
    "orgtype": "org_type",
    "theme": "theme",
    "kind": "kind",
    "year": "year",
    "years": "year",
    "is": "content",
    "content": "content",
    "level": "government_level",
    "population": "population_band",
    "budget": "budget_band",
    "settlement": "settlement_type",
    "infrastructure": "infrastructure_level",
    "staff": "staff_band",
    **{name.replace("_", ""): name for name in CONTEXT_FIELDS},
}


def _field_node(name: str, value: str, quoted: bool, notes: list[str]) -> Node | None:
    """Turn name:value into a filter, or into words when there is no such filter."""
    reader = _READERS.get(_FIELD_NAMES.get(name.lower().replace("_", "").replace("-", ""), ""))
    if reader is None:
        return _unknown_field(name, value, quoted, notes)
    value = value.strip(_VALUE_EDGES)
    if not value:
        notes.append(f"The “{name.lower()}:” filter had no value; it was ignored.")
        return None
    return reader(value, notes)


def _unknown_field(name: str, value: str, quoted: bool, notes: list[str]) -> Node | None:
    """Search for the words of an unknown name:value; URLs and "note:" pass quietly."""
    if value.strip() and name.lower() not in _QUIET_NAMES:
        notes.append(f"There is no “{name.lower()}:” filter; searched for the words instead. "
                     f"{_FILTER_LIST}")
    words = _phrase_node(value) if quoted else _word_node(value, notes)
    return _combine(And, [node for node in (_word_node(name, notes), words) if node is not None])


# -- reading tokens ---------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # "(", ")", "op" or "term"
    text: str = ""
    node: Node | None = None  # for a term; None when nothing searchable was left of it


def _fit(node: Node | None, room: int) -> Node | None:
    """Keep as much of one token's words as still fits under the term cap."""
    if _count(node) <= room:
        return node
    if isinstance(node, And):
        kept: list = []
        for child in node.children:
            room -= _count(child)
            if room < 0:
                break
            kept.append(child)
        return _combine(And, kept)
    return None


class _Reader:
    """Split the query into parentheses, operators and terms, resolving each term."""

    def __init__(self, text: str, cut: bool) -> None:
        self.text = text
        self.cut = cut  # the input was cut: unclosed quotes are expected then, not noted
        self.pos = 0
        self.tokens: list[_Token] = []
        self.notes: list[str] = []
        self.terms = 0
        self.full = False
        self.signed = False  # the token follows "-" or "+", so AND/OR/NOT are plain words

    def read(self) -> list[_Token]:
        """Return the tokens; stop at the term cap."""
        while self.pos < len(self.text) and not self.full:
            self._step()
        if self.full:
            while self.tokens and self.tokens[-1].kind == "op":
                self.tokens.pop()
        return self.tokens

    def _step(self) -> None:
        ch = self.text[self.pos]
        signed, self.signed = self.signed, False
        if ch.isspace():
            self.pos += 1
        elif ch in "()":
            self.tokens.append(_Token(ch))
            self.pos += 1
        elif ch in _QUOTES:
            value, closed = self._quoted(self.pos + 1)
            self._emit(_phrase_node(value), [] if closed or self.cut else [_unclosed_note(value)])
        elif self._is_sign(ch):
            if ch == "-":
                self.tokens.append(_Token("op", "NOT"))
            self.signed = True
            self.pos += 1
        else:
            self._word(signed)

    def _is_sign(self, ch: str) -> bool:
        """Return whether a "-" or "+" prefixes the token right after it."""
        following = self.text[self.pos + 1: self.pos + 2]
        return ch in "+-" and following != "" and not following.isspace() and following != ")"

    def _quoted(self, start: int) -> tuple[str, bool]:
        """Read up to the closing quote; return the text and whether the quote was closed."""
        end = start
        while end < len(self.text) and self.text[end] not in _QUOTES:
            end += 1
        self.pos = end + 1
        return self.text[start:end], end < len(self.text)

    def _word(self, signed: bool) -> None:
        start = end = self.pos
        while end < len(self.text) and not self._ends_word(self.text[end]):
            end += 1
        raw = self.text[start:end]
        self.pos = end
        if not signed and raw in _OPERATORS:
            self.tokens.append(_Token("op", raw))
            return
        if raw == "-":
            # A detached minus is a NOT that lost its word; "-flood" is what was meant.
            self.notes.append("A “-” goes right before the word to leave out, as in -flood; "
                              "it was ignored.")
            return
        notes: list[str] = []
        match = _FIELD_RE.fullmatch(raw)
        if match is None:
            self._emit(_word_node(raw, notes), notes)
        elif _FIELD_NAME_RE.fullmatch(raw) and end < len(self.text) and self.text[end] in _QUOTES:
            # name:"quoted value": the quote belongs to the filter.
            value, closed = self._quoted(end + 1)
            if not closed and not self.cut:
                notes.append(_unclosed_note(value))
            self._emit(_field_node(match.group(1), value, True, notes), notes)
        else:
            self._emit(_field_node(match.group(1), match.group(2), False, notes), notes)

    @staticmethod
    def _ends_word(ch: str) -> bool:
        return ch.isspace() or ch in "()" or ch in _QUOTES

    def _emit(self, node: Node | None, notes: list[str]) -> None:
        """Add a term, unless the term cap is reached."""
        room = MAX_TERMS - self.terms
        fitted = _fit(node, room)
        if fitted is not node:
            self.full = True
            self.notes.append(f"Only the first {MAX_TERMS} words and filters were used.")
            if fitted is None:
                return
        self.terms += _count(fitted)
        self.notes.extend(notes)
        self.tokens.append(_Token("term", node=fitted))


# -- parsing ----------------------------------------------------------------------------------

# Something was there, but nothing searchable came of it (a rejected filter, "()"): it
# satisfies the operators around it without adding to the tree.
_DROPPED = object()


class _Parser:
    """Recursive descent over the tokens: OR of ANDs of NOT-ed primaries."""

    def __init__(self, tokens: list[_Token], notes: list[str], quiet: bool) -> None:
        self.tokens = tokens
        self.notes = notes
        self.quiet = quiet  # the input was cut: unclosed brackets are expected then
        self.pos = 0
        self.skipped = 0  # "(" ignored for being too deep, whose ")" must be ignored too
        self.explicit_and = False  # an AND joined two terms

    def parse(self) -> Node | None:
        """Return the tree of all tokens."""
        result = self._or(0)
        return result if isinstance(result, _NODES) else None

    def _peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _is_op(self, name: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == "op" and token.text == name

    def _or(self, depth: int) -> object:
        parts = [self._and(depth)]
        while self._is_op("OR"):
            self.pos += 1
            parts.append(self._and(depth))
        if len(parts) > 1 and None in parts:
            self.notes.append("“OR” needs a search term on each side; it was ignored.")
        nodes = [part for part in parts if isinstance(part, _NODES)]
        if nodes:
            return _combine(Or, nodes)
        return _DROPPED if _DROPPED in parts else None

    def _and(self, depth: int) -> object:
        nodes: list = []
        seen = pending = False  # something came before / an AND still waits for its right side
        while (token := self._peek()) is not None and not self._is_op("OR"):
            if token.kind == ")":
                if not self._close(depth):
                    break
            elif self._is_op("AND"):
                self.pos += 1
                if pending or not seen:
                    self._dangling_and()
                pending = True
            else:
                result = self._unary(depth)
                if result is not None:
                    self.explicit_and = self.explicit_and or (pending and seen)
                    seen, pending = True, False
                if isinstance(result, _NODES):
                    nodes.append(result)
        if pending:
            self._dangling_and()
        if nodes:
            return _combine(And, nodes)
        return _DROPPED if seen else None

    def _dangling_and(self) -> None:
        self.notes.append("“AND” needs a search term on each side; it was ignored.")

    def _close(self, depth: int) -> bool:
        """Handle a ")": return False when it ends the current group."""
        if self.skipped:
            self.skipped -= 1
        elif depth > 0:
            return False
        else:
            self.notes.append("An unmatched “)” was ignored.")
        self.pos += 1
        return True

    def _unary(self, depth: int) -> object:
        negated = nots = 0
        while self._is_op("NOT"):
            self.pos += 1
            negated, nots = not negated, nots + 1
        result = self._primary(depth)
        if result is None:
            if nots:
                self.notes.append("“NOT” needs a search term after it; it was ignored.")
            return None
        if negated and isinstance(result, _NODES):
            return _negate(result)
        return result

    def _primary(self, depth: int) -> object:
        token = self._peek()
        while token is not None and token.kind == "(" and depth >= MAX_DEPTH:
            # Too deep: ignore the bracket (and later its partner) instead of recursing.
            self.notes.append(f"Brackets nested more than {MAX_DEPTH} deep were ignored.")
            self.skipped += 1
            self.pos += 1
            token = self._peek()
        if token is None or token.kind in ("op", ")"):
            return None
        self.pos += 1
        if token.kind == "term":
            return _DROPPED if token.node is None else token.node
        return self._group(depth + 1)

    def _group(self, depth: int) -> object:
        result = self._or(depth)
        token = self._peek()
        if token is not None and token.kind == ")":
            self.pos += 1
        elif not self.quiet:
            self.notes.append("A “(” was not closed; it was closed at the end.")
        return _DROPPED if result is None else result


# -- public API -------------------------------------------------------------------------------


def parse(text: str) -> Parsed:
    """Parse what the user typed into a query tree with notes on how it was read."""
    if not isinstance(text, str):
        text = ""
    text = text.strip()
    notes: list[str] = []
    cut = len(text) > MAX_CHARS
    if cut:
        text = text[:MAX_CHARS]
        notes.append(f"The query was cut to its first {MAX_CHARS} characters.")
    reader = _Reader(text, cut)
    tokens = reader.read()
    notes.extend(reader.notes)
    parser = _Parser(tokens, notes, quiet=cut or reader.full)
    node = parser.parse()
    if isinstance(node, Not):
        node = And((node,))  # "everything except": the backend starts from all documents
    return Parsed(node, list(dict.fromkeys(notes)), explicit_and=parser.explicit_and)


_FIELD_PREFIXES = {
    "goal": "sdg",
    "target": "sdg",
    "org_type": "type",
    "content": "is",
    "government_level": "level",
    "population_band": "population",
    "settlement_type": "settlement",
    "budget_band": "budget",
    "infrastructure_level": "infrastructure",
    "staff_band": "staff",
}


def to_text(node: Node | None) -> str:
    """Write a query tree back as a canonical query string."""
    if isinstance(node, Word):
        return node.text + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Field):
        return _field_text(node)
    if isinstance(node, Not):
        return "NOT " + _wrapped(node.child)
    if isinstance(node, And):
        return " AND ".join(_wrapped(child) for child in node.children)
    if isinstance(node, Or):
        return " OR ".join(_wrapped(child) for child in node.children)
    return ""


def _wrapped(node: Node) -> str:
    """Write a child, in brackets when it combines several parts."""
    text = to_text(node)
    if isinstance(node, And | Or) and len(node.children) > 1:
        return f"({text})"
    return text


def _field_text(node: Field) -> str:
    """Write a filter the way a user would type it."""
    prefix = _FIELD_PREFIXES.get(node.name, node.name)
    value = node.value
    if node.name == "year" and isinstance(value, tuple) and len(value) == 2:
        value = _year_text(*value)
    value = str(value)
    if not value or not all(_is_core(ch) or ch in "_.-" for ch in value):
        value = '"' + "".join(ch for ch in value if ch not in _QUOTES) + '"'
    return f"{prefix}:{value}"


def _year_text(low: object, high: object) -> str:
    """Write a year range in its shortest form."""
    if low == high:
        return str(low)
    if high == YEAR_MAX:
        return f"{low}.."
    if low == YEAR_MIN:
        return f"..{high}"
    return f"{low}..{high}"
