"""From a parsed query to the plan an engine evaluates.

Two decisions are made here, once for every engine:

- Stop words never widen a query: a word with no index term ("the", "how") is left out
  rather than matching every document.
- Words typed side by side are optional: a document matching any of them is found, and
  documents matching more of them rank first (the words become the plan's `groups`). An
  AND typed by the user keeps every side required; phrases, NOT and filters keep their
  meaning.
"""

from dataclasses import dataclass

from nanum.search import analysis
from nanum.search.engine import Plan
from nanum.search.query import And, Not, Or, Phrase, Word


@dataclass
class Prepared:
    node: object  # the tree to match, stop words left out
    groups: tuple  # the optional parts, when documents may match only some of them
    dropped: list  # the stop words left out, as typed


def prepare(parsed):
    """Return the query tree to evaluate and its optional groups."""
    dropped = []
    node = _without_stop_words(parsed.node, dropped)
    groups = ()
    if isinstance(node, And) and not parsed.explicit_and:
        optional = tuple(child for child in node.children if _is_text(child))
        if len(optional) >= 2:
            required = [child for child in node.children if not _is_text(child)]
            node = And((*required, Or(optional))) if required else Or(optional)
            groups = optional
    return Prepared(node=node, groups=groups, dropped=list(dict.fromkeys(dropped)))


def plan(prepared, filters=(), sort="relevance", offset=0, limit=20, **extra):
    return Plan(node=prepared.node, filters=list(filters), groups=prepared.groups,
                sort=sort, offset=offset, limit=limit, **extra)


def _is_text(node):
    """Words, phrases and OR groups of them rank; filters and NOT only select."""
    if isinstance(node, Word | Phrase):
        return True
    return isinstance(node, Or) and all(_is_text(child) for child in node.children)


def _without_stop_words(node, dropped):
    """Return the tree without words that have no index term; None when nothing is left."""
    if isinstance(node, Word):
        if node.prefix or analysis.terms(node.text):
            return node
        dropped.append(node.text)
        return None
    if isinstance(node, Phrase):
        if analysis.terms(" ".join(node.words)):
            return node
        dropped.append(" ".join(node.words))
        return None
    if isinstance(node, Not):
        child = _without_stop_words(node.child, dropped)
        return Not(child) if child is not None else None
    if isinstance(node, And | Or):
        children = [kept for child in node.children
                    if (kept := _without_stop_words(child, dropped)) is not None]
        if not children:
            return None
        if len(children) == 1 and not isinstance(children[0], Not):
            return children[0]
        return type(node)(tuple(children))
    return node  # a Field, or None


def scoring_terms(node, languages=(analysis.DEFAULT_LANGUAGE,)):
    """Return the index terms that rank results (not those under a NOT), each once;
    a prefix is given as `prefix*`. With several `languages`, a word gives its terms in
    each of them (an engine that stems each document in its own language)."""
    found = {}
    _collect_terms(node, found, tuple(languages))
    return list(found)


def _collect_terms(node, found, languages):
    if isinstance(node, Word):
        if node.prefix:
            for prefix in analysis.prefixes(node.text, languages):
                found.setdefault(f"{prefix}*")
        else:
            for sequence in analysis.forms(node.text, languages):
                for term in sequence:
                    found.setdefault(term)
    elif isinstance(node, Phrase):
        for sequence in analysis.forms(" ".join(node.words), languages):
            for term in sequence:
                found.setdefault(term)
    elif isinstance(node, And | Or):
        for child in node.children:
            _collect_terms(child, found, languages)


def words_of(node):
    """Return the Word leaves of a tree outside a NOT."""
    if isinstance(node, Word):
        return [node]
    if isinstance(node, And | Or):
        return [word for child in node.children for word in words_of(child)]
    return []
