"""The Aurora Universities Network's SDG queries as keyword and phrase features.

Each target of each goal has expert search queries in Scopus syntax (data/aurora/, CC BY 4.0).
They are parsed once into small trees and matched against a text's words: a quoted term is a
word or a phrase, `*` ends a prefix, `W/n` asks for two parts within n words, `AND`, `OR` and
`AND NOT` combine parts. Matching costs time linear in the text (plus the positions it finds).
"""

import bisect
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "aurora"
_NS = {"aqd": "http://aurora-network.global/queries/namespace/",
       "dc": "http://dublincore.org/documents/dcmi-namespace/"}
_TOKEN = re.compile(r'"[^"]*"|\(|\)|W/\d+|PRE/\d+|AND NOT|AND|OR|NOT|[^\s()"]+')
_WORD = re.compile(r"[a-z0-9]+")
_OPERATORS = {")", "AND", "OR", "NOT", "AND NOT"}


@dataclass(frozen=True)
class Query:
    goal: int
    target: str
    tree: tuple


def words(text):
    """A text's words as Aurora matching sees them: lower case letters and digits."""
    return _WORD.findall(text.lower())


def _term(quoted):
    parts = [p for p in re.split(r"[^a-z0-9*?]+", quoted.lower()) if p.strip("*?")]
    return ("phrase", tuple(p.replace("?", "*") for p in parts)) if parts else None


class _Parser:
    """Recursive descent over a query line; OR binds tightest, then W/n, AND, AND NOT."""

    def __init__(self, line):
        self.tokens = _TOKEN.findall(line)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ""

    def take(self):
        self.pos += 1
        return self.tokens[self.pos - 1]

    def atom(self):
        token = self.take()
        if token == "(":
            node = self.expr()
            if self.take() != ")":
                raise ValueError("unbalanced parenthesis")
            return node
        if token in _OPERATORS or token.startswith(("W/", "PRE/")):
            raise ValueError(f"unexpected {token}")
        node = _term(token.strip('"'))
        if node is None:
            raise ValueError("empty term")
        return node

    def either(self):
        node = self.atom()
        while self.peek() == "OR":
            self.take()
            node = ("or", node, self.atom())
        return node

    def near(self):
        node = self.either()
        while self.peek().startswith(("W/", "PRE/")):
            distance = int(self.take().split("/")[1])
            node = ("near", node, self.either(), distance)
        return node

    def both(self):
        node = self.near()
        while self.peek() == "AND":
            self.take()
            node = ("and", node, self.near())
        return node

    def expr(self):
        node = self.both()
        while self.peek() in {"AND NOT", "NOT"}:
            self.take()
            node = ("not", node, self.both())
        return node


def _parse(line):
    parser = _Parser(line)
    tree = parser.expr()
    if parser.pos != len(parser.tokens):
        raise ValueError("trailing tokens")
    return tree


def _leaves(node):
    if node[0] == "phrase":
        return {node[1][0]}
    return set().union(*(_leaves(child) for child in node[1:3]))


@lru_cache(maxsize=1)
def queries():
    """Every query line that parses, with its goal and target ("6.1")."""
    found = []
    for path in sorted(DATA.glob("query_SDG*.xml")):
        root = ET.parse(path).getroot()
        goal = int(root.find("dc:identifier[@type='sdg']", _NS).text)
        for definition in root.iter(f"{{{_NS['aqd']}}}query-definition"):
            uri = definition.find("dc:identifier[@type='uri']", _NS)
            target = uri.text.rsplit("/", 1)[-1] if uri is not None else str(goal)
            for line in definition.iter(f"{{{_NS['aqd']}}}query-line"):
                try:
                    found.append(Query(goal, target, _parse(line.text or "")))
                except (ValueError, IndexError):
                    continue
    return tuple(found)


class Text:
    """A text's word positions, for matching many queries against it."""

    def __init__(self, text):
        self.words = words(text)
        self.positions = {}
        for index, word in enumerate(self.words):
            self.positions.setdefault(word, []).append(index)
        self.sorted = sorted(self.positions)
        self._cache = {}

    def word(self, pattern):
        if pattern in self._cache:
            return self._cache[pattern]
        if pattern.endswith("*"):
            prefix = pattern.rstrip("*")
            found = []
            start = bisect.bisect_left(self.sorted, prefix)
            for word in self.sorted[start:]:
                if not word.startswith(prefix):
                    break
                found.extend(self.positions[word])
            found.sort()
        else:
            found = sorted(self.positions.get(pattern, []) + self.positions.get(pattern + "s", [])
                           + self.positions.get(pattern + "es", []))
        self._cache[pattern] = found
        return found

    def match(self, node):
        """The positions where a query tree matches (empty when it does not)."""
        kind = node[0]
        if kind == "phrase":
            parts = node[1]
            starts = self.word(parts[0])
            for offset, part in enumerate(parts[1:], 1):
                if not starts:
                    break
                following = set(self.word(part))
                starts = [p for p in starts if p + offset in following]
            return starts
        left = self.match(node[1])
        if kind == "not":
            return left if left and not self.match(node[2]) else []
        if kind == "and":
            right = self.match(node[2]) if left else []
            return sorted(set(left) | set(right)) if left and right else []
        right = self.match(node[2])
        if kind == "or":
            return sorted(set(left) | set(right))
        distance = node[3]
        return _near(left, right, distance)


def _near(left, right, distance):
    if not left or not right:
        return []
    found = set()
    for a, b in ((left, right), (right, left)):
        for p in a:
            i = bisect.bisect_left(b, p - distance)
            if i < len(b) and b[i] <= p + distance:
                found.add(p)
    return sorted(found)


@lru_cache(maxsize=1)
def _index():
    """Each query's first words (a query matches only where one of them does): the queries
    by word, and the words split into whole words and prefixes."""
    by_leaf = {}
    for number, query in enumerate(queries()):
        for leaf in _leaves(query.tree):
            by_leaf.setdefault(leaf, []).append(number)
    exact = {leaf for leaf in by_leaf if not leaf.endswith("*")}
    prefixes = {leaf.rstrip("*") for leaf in by_leaf if leaf.endswith("*")}
    return by_leaf, exact, prefixes


def _candidates(parsed):
    by_leaf, exact, prefixes = _index()
    leaves = set()
    for word in parsed.positions:
        for form in (word, word[:-1] if word.endswith("s") else None,
                     word[:-2] if word.endswith("es") else None):
            if form in exact:
                leaves.add(form)
        for end in range(1, len(word) + 1):
            if word[:end] in prefixes:
                leaves.add(word[:end] + "*")
    return sorted({number for leaf in leaves for number in by_leaf[leaf]})


def hits(text):
    """Each matching query line as (goal, target, the words it matched)."""
    parsed = text if isinstance(text, Text) else Text(text)
    found = []
    every = queries()
    for query in (every[number] for number in _candidates(parsed)):
        positions = parsed.match(query.tree)
        if positions:
            found.append((query.goal, query.target,
                          tuple(dict.fromkeys(parsed.words[p] for p in positions[:6]))))
    return found
