"""Readable diffs between versions of a practice, bounded whatever the text."""

from types import SimpleNamespace

from nanum.review import checks, diffs


def test_a_changed_line_among_kept_ones():
    old = "one\ntwo\nthree\nfour\nfive\nsix\nseven"
    new = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven"
    assert diffs.line_diff(old, new) == [
        ("…", ""), (" ", "two"), (" ", "three"), ("-", "four"), ("+", "FOUR"),
        (" ", "five"), (" ", "six"), ("…", "")]


def test_insertions_and_removals_in_the_middle():
    lines = diffs.line_diff("a\nb\nc\nd", "a\nx\nc\nd\ne")
    assert [line for line in lines if line[0] in "+-"] == [("-", "b"), ("+", "x"), ("+", "e")]


def test_a_huge_rewrite_is_shown_whole_without_comparing_every_pair():
    old = "\n".join(f"old line {i}" for i in range(5000))
    new = "\n".join(f"new line {i}" for i in range(5000))
    lines = diffs.line_diff(old, new)
    assert lines.count(("-", "old line 0")) == 1 and lines[-1] == ("+", "new line 4999")
    assert len(lines) == 10000


def test_compare_names_the_changed_fields_in_words():
    found = diffs.compare({"title": "A", "goals": [6], "results": "x"},
                          {"title": "A", "goals": [6, 11], "results": "x"})
    assert [(change.field, change.label) for change in found] == [("goals", "SDG goals")]
    assert found[0].lines == [("-", "6"), ("+", "6, 11")]


def test_versions_go_back_from_the_current_content():
    revisions = [SimpleNamespace(id=3, changes={"title": ["B", "C"]}),
                 SimpleNamespace(id=2, changes={"title": ["A", "B"], "lessons": ["", "L"]}),
                 SimpleNamespace(id=1, changes={"title": [None, "A"]})]
    current = {"title": "C", "lessons": "L"}
    assert diffs.versions(current, revisions) == {
        3: {"title": "C", "lessons": "L"}, 2: {"title": "B", "lessons": "L"},
        1: {"title": "A", "lessons": ""}}
    older, newer, changes = diffs.between(current, revisions, 3, 1)
    assert (older.id, newer.id) == (1, 3)
    assert [change.field for change in changes] == ["title", "lessons"]
    assert diffs.between(current, revisions, 1, 99) is None


def _practice(**fields):
    values = {section: "Written out." for section in checks.vocab.SECTIONS}
    values.update({field: "x" for field in checks.vocab.CONTEXT_FIELDS})
    values.update(targets=["6.1"], evidence_level="monitored", budget_amount=None,
                  staff_fte=None, duration_months=12, attachments=[])
    values.update(fields)
    return SimpleNamespace(**values)


def test_a_complete_practice_passes_every_check():
    assert all(check.passed for check in checks.completeness(_practice()))


def test_each_check_fails_on_its_own_gap():
    failing = {
        "context": "https://example.org/report.pdf",
        "lessons": "[our report](https://example.org/r)",
        "targets": [],
        "evidence_level": None,
        "population_band": None,
        "duration_months": None,
    }
    for field, value in failing.items():
        found = checks.completeness(_practice(**{field: value}))
        assert checks.passed(found) == len(found) - 1, field
    with_file = _practice(duration_months=None, attachments=["report.pdf"])
    assert all(check.passed for check in checks.completeness(with_file))
