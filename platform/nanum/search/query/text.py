"""Write a query tree back as text, the way a user would type it."""

from __future__ import annotations

from nanum.search.query.nodes import YEAR_MAX, YEAR_MIN, And, Field, Node, Not, Or, Phrase, Word
from nanum.search.query.words import QUOTES, is_core

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
    if not value or not all(is_core(ch) or ch in "_.-" for ch in value):
        value = '"' + "".join(ch for ch in value if ch not in QUOTES) + '"'
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
