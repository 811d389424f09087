"""Suggestions for texts given as JSON Lines, one answer line per input line."""

import json

from nanum.practices.vocab import SECTIONS

MAX_LINE_CHARS = 10_000_000
PRACTICE_FIELDS = ("title", "summary", *SECTIONS)


def practice_text(content):
    """The text the suggester reads of a practice, from its field values."""
    return "\n".join(str(content[name]) for name in PRACTICE_FIELDS if content.get(name))


def suggest_for_practice(content):
    """Suggestions for a practice's text, from the form's or the import's field values."""
    from nanum.sdg.model import suggest  # the model loads when first needed

    return suggest(practice_text(content))


def _read(number, line):
    """(id, text, problem) for one input line."""
    if len(line) > MAX_LINE_CHARS:
        return None, None, f"line {number}: longer than {MAX_LINE_CHARS} characters"
    try:
        item = json.loads(line)
    except ValueError:
        return None, None, f"line {number}: not valid JSON"
    if not isinstance(item, dict):
        return None, None, f"line {number}: expected an object with \"id\" and \"text\""
    ident = item.get("id")
    if isinstance(ident, (dict, list)):
        return None, None, f"line {number}: \"id\" must be a string or a number"
    text = item.get("text")
    if not isinstance(text, str):
        return ident, None, f"line {number}: \"text\" must be a string"
    return ident, text, None


def suggest_lines(lines):
    """For each non-blank input line, the answer as a dict: the suggestion with the line's id,
    or {"id": ..., "error": ...} when the line is not a text to read."""
    from nanum.sdg.model import suggest  # the model loads when first needed

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        ident, text, problem = _read(number, line)
        if problem:
            yield {"id": ident, "error": problem}
            continue
        yield {"id": ident, **suggest(text)}
