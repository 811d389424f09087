"""Read what a user typed into the search box as a small query tree, leniently.

The parser never raises: whatever it cannot use it drops or reinterprets, and says so in a
short note for the user. Work is bounded by the input cap, the term cap and the nesting cap,
so hostile input costs no more than a long ordinary query.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from nanum.search.query.filters import field_node
from nanum.search.query.nodes import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_TERMS,
    NODES,
    And,
    Node,
    Not,
    Or,
    Parsed,
    combine,
    count_terms,
    negate,
)
from nanum.search.query.words import (
    FIELD_NAME_RE,
    FIELD_RE,
    OPERATORS,
    QUOTES,
    phrase_node,
    unclosed_note,
    word_node,
)

# -- reading tokens ---------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # "(", ")", "op" or "term"
    text: str = ""
    node: Node | None = None  # for a term; None when nothing searchable was left of it


def _fit(node: Node | None, room: int) -> Node | None:
    """Keep as much of one token's words as still fits under the term cap."""
    if count_terms(node) <= room:
        return node
    if isinstance(node, And):
        kept: list = []
        for child in node.children:
            room -= count_terms(child)
            if room < 0:
                break
            kept.append(child)
        return combine(And, kept)
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
        elif ch in QUOTES:
            value, closed = self._quoted(self.pos + 1)
            self._emit(phrase_node(value), [] if closed or self.cut else [unclosed_note(value)])
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
        while end < len(self.text) and self.text[end] not in QUOTES:
            end += 1
        self.pos = end + 1
        return self.text[start:end], end < len(self.text)

    def _word(self, signed: bool) -> None:
        start = end = self.pos
        while end < len(self.text) and not self._ends_word(self.text[end]):
            end += 1
        raw = self.text[start:end]
        self.pos = end
        if not signed and raw in OPERATORS:
            self.tokens.append(_Token("op", raw))
            return
        if raw == "-":
            # A detached minus is a NOT that lost its word; "-flood" is what was meant.
            self.notes.append(_("A “-” goes right before the word to leave out, as in -flood; "
                              "it was ignored."))
            return
        notes: list[str] = []
        match = FIELD_RE.fullmatch(raw)
        if match is None:
            self._emit(word_node(raw, notes), notes)
        elif FIELD_NAME_RE.fullmatch(raw) and end < len(self.text) and self.text[end] in QUOTES:
            # name:"quoted value": the quote belongs to the filter.
            value, closed = self._quoted(end + 1)
            if not closed and not self.cut:
                notes.append(unclosed_note(value))
            self._emit(field_node(match.group(1), value, True, notes), notes)
        else:
            self._emit(field_node(match.group(1), match.group(2), False, notes), notes)

    @staticmethod
    def _ends_word(ch: str) -> bool:
        return ch.isspace() or ch in "()" or ch in QUOTES

    def _emit(self, node: Node | None, notes: list[str]) -> None:
        """Add a term, unless the term cap is reached."""
        room = MAX_TERMS - self.terms
        fitted = _fit(node, room)
        if fitted is not node:
            self.full = True
            self.notes.append(_("Only the first %(max_terms)s words and filters were used.",
                                max_terms=MAX_TERMS))
            if fitted is None:
                return
        self.terms += count_terms(fitted)
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
        return result if isinstance(result, NODES) else None

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
            self.notes.append(_("“OR” needs a search term on each side; it was ignored."))
        nodes = [part for part in parts if isinstance(part, NODES)]
        if nodes:
            return combine(Or, nodes)
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
                if isinstance(result, NODES):
                    nodes.append(result)
        if pending:
            self._dangling_and()
        if nodes:
            return combine(And, nodes)
        return _DROPPED if seen else None

    def _dangling_and(self) -> None:
        self.notes.append(_("“AND” needs a search term on each side; it was ignored."))

    def _close(self, depth: int) -> bool:
        """Handle a ")": return False when it ends the current group."""
        if self.skipped:
            self.skipped -= 1
        elif depth > 0:
            return False
        else:
            self.notes.append(_("An unmatched “)” was ignored."))
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
                self.notes.append(_("“NOT” needs a search term after it; it was ignored."))
            return None
        if negated and isinstance(result, NODES):
            return negate(result)
        return result

    def _primary(self, depth: int) -> object:
        token = self._peek()
        while token is not None and token.kind == "(" and depth >= MAX_DEPTH:
            # Too deep: ignore the bracket (and later its partner) instead of recursing.
            self.notes.append(_("Brackets nested more than %(max_depth)s deep were ignored.",
                                max_depth=MAX_DEPTH))
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
            self.notes.append(_("A “(” was not closed; it was closed at the end."))
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
        notes.append(_("The query was cut to its first %(max_chars)s characters.",
                       max_chars=MAX_CHARS))
    reader = _Reader(text, cut)
    tokens = reader.read()
    notes.extend(reader.notes)
    parser = _Parser(tokens, notes, quiet=cut or reader.full)
    node = parser.parse()
    if isinstance(node, Not):
        node = And((node,))  # "everything except": the backend starts from all documents
    return Parsed(node, list(dict.fromkeys(notes)), explicit_and=parser.explicit_and)
