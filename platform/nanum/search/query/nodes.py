"""The query tree: words, phrases, filters and the operators that join them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
NODES = (Word, Phrase, Field, Not, And, Or)


@dataclass
class Parsed:
    """A parsed query: the tree (None when nothing is searchable) and notes for the user."""

    node: Node | None
    notes: list[str]
    explicit_and: bool = False  # an AND was typed: never widen the search to any word

    def words(self) -> list[str]:
        """Return the words to highlight: positive words and phrase words, in order, once."""
        found: dict[str, None] = {}
        for leaf in positive(self.node):
            if isinstance(leaf, Word):
                found.setdefault(leaf.text)
            elif isinstance(leaf, Phrase):
                for word in leaf.words:
                    found.setdefault(word)
        return list(found)

    def has_text(self) -> bool:
        """Return whether any word or phrase is searched for outside a NOT."""
        return any(isinstance(leaf, Word | Phrase) for leaf in positive(self.node))

    def fields(self) -> list[Field]:
        """Return the filters outside a NOT, in order."""
        return [leaf for leaf in positive(self.node) if isinstance(leaf, Field)]


def positive(node: object) -> Iterator[object]:
    """Yield the leaves that are not under a NOT."""
    if node is None or isinstance(node, Not):
        return
    if isinstance(node, And | Or):
        for child in node.children:
            yield from positive(child)
    else:
        yield node


def combine(kind: type, nodes: list) -> Node | None:
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


def negate(node: Node) -> Node:
    """Return NOT node; a double negation cancels out."""
    return node.child if isinstance(node, Not) else Not(node)


def count_terms(node: object) -> int:
    """Return how many words, phrases and filters a node holds."""
    if isinstance(node, And | Or):
        return sum(count_terms(child) for child in node.children)
    if isinstance(node, Not):
        return count_terms(node.child)
    return 0 if node is None else 1
