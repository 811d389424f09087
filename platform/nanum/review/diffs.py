"""Readable differences between two versions of a practice's content.

Texts are compared line by line with difflib, after setting aside the lines both versions
share at the start and the end (which costs linear time). Where what is left is still too
large to compare in bounded time, it is shown as removed and added whole: a diff never
costs more than MAX_CELLS comparisons per field.
"""

import difflib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from nanum.practices import vocab

MAX_CELLS = 250_000  # lines before × lines after, in the part that changed
CONTEXT = 2  # unchanged lines kept around each change

LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "kind": _l("Kind"),
    "language": _l("Language"), "period_start": _l("From year"), "period_end": _l("To year"),
    "evidence_level": _l("Evidence level"), "budget_amount": _l("Budget amount"),
    "budget_currency": _l("Currency"), "budget_year": _l("Budget year"),
    "staff_fte": _l("Staff (FTE)"), "duration_months": _l("Duration (months)"),
    "countries": _l("Countries"), "goals": _l("SDG goals"), "targets": _l("SDG targets"),
    "themes": _l("Themes"), "tags": _l("Tags"), "partners": _l("Partner organisations (ids)"),
    "status": _l("Status"), "adapted_from": _l("Adapted from (practice number)"),
    **vocab.ADAPTATION_SECTIONS,
    **vocab.SECTIONS, **{field: label for field, (label, _c) in vocab.CONTEXT_FIELDS.items()},
}


@dataclass
class FieldDiff:
    field: str
    label: str
    lines: list  # (" " | "-" | "+" | "…", text)

    @property
    def added(self):
        return sum(1 for op, _text in self.lines if op == "+")

    @property
    def removed(self):
        return sum(1 for op, _text in self.lines if op == "-")


def as_text(value):
    """Return a stored value as the text a diff compares."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def line_diff(old, new):
    """Return the lines of `new` against `old`, marked " " kept, "-" removed, "+" added."""
    a, b = as_text(old).splitlines(), as_text(new).splitlines()
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start:len(a) - end], b[start:len(b) - end]
    lines = [(" ", line) for line in a[:start]]
    if len(middle_a) * len(middle_b) > MAX_CELLS:
        lines += [("-", line) for line in middle_a] + [("+", line) for line in middle_b]
    else:
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                lines += [(" ", line) for line in middle_a[i1:i2]]
                continue
            lines += [("-", line) for line in middle_a[i1:i2]]
            lines += [("+", line) for line in middle_b[j1:j2]]
    lines += [(" ", line) for line in a[len(a) - end:]]
    return _trim(lines)


def _trim(lines):
    """Keep CONTEXT unchanged lines around each change; mark what was left out with "…"."""
    near = set()
    for i, (op, _text) in enumerate(lines):
        if op != " ":
            near.update(range(i - CONTEXT, i + CONTEXT + 1))
    kept, skipping = [], False
    for i, line in enumerate(lines):
        if line[0] != " " or i in near:
            kept.append(line)
            skipping = False
        elif not skipping:
            kept.append(("…", ""))
            skipping = True
    return kept


def compare(before, after):
    """Return a FieldDiff for every field whose value differs between two snapshots."""
    found = []
    for field in dict.fromkeys([*before, *after]):
        old, new = before.get(field), after.get(field)
        if as_text(old) != as_text(new):
            found.append(FieldDiff(field, LABELS.get(field, field.replace("_", " ").capitalize()),
                                   line_diff(old, new)))
    return found


def changed_characters(before, after, fields):
    """Measure how much of `fields` an edit changed: characters in changed lines."""
    total = 0
    for field in fields:
        if as_text(before.get(field)) != as_text(after.get(field)):
            total += sum(len(text) + 1 for op, text in line_diff(before.get(field),
                                                                   after.get(field))
                         if op in "+-")
    return total


def versions(current, revisions):
    """Return {revision id: snapshot after that revision}, from the current snapshot back.

    `revisions` are newest first, each with `changes` {field: [before, after]}; going back
    from what the practice holds now needs no revision to be complete.
    """
    state, found = dict(current), {}
    for revision in revisions:
        found[revision.id] = dict(state)
        for field, pair in (revision.changes or {}).items():
            if isinstance(pair, list) and len(pair) == 2:
                state[field] = pair[0]
    return found


def between(current, revisions, older_id, newer_id):
    """Compare the practice after revision `older_id` with it after `newer_id`.

    Return (older revision, newer revision, [FieldDiff]) or None when either is not one of
    `revisions` (newest first); the two may be given in either order.
    """
    by_id = {revision.id: revision for revision in revisions}
    if older_id not in by_id or newer_id not in by_id:
        return None
    if older_id > newer_id:
        older_id, newer_id = newer_id, older_id
    states = versions(current, revisions)
    return by_id[older_id], by_id[newer_id], compare(states[older_id], states[newer_id])
