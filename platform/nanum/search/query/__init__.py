"""What a user typed into the search box, read as a query tree (see `parser`).

The tree (`nodes`) is engine-neutral: the search service turns it into a plan and each
engine evaluates plans.
"""

from nanum.search.query.nodes import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_TERMS,
    And,
    Field,
    Node,
    Not,
    Or,
    Parsed,
    Phrase,
    Word,
)
from nanum.search.query.parser import parse
from nanum.search.query.text import to_text

__all__ = ["MAX_CHARS", "MAX_DEPTH", "MAX_TERMS", "And", "Field", "Node", "Not", "Or",
           "Parsed", "Phrase", "Word", "parse", "to_text"]
