"""Tests for the packaged SDG taxonomy and the common-password list."""

import json
import re
from dataclasses import FrozenInstanceError
from importlib import resources

import pytest

from nanum.taxonomy import sdg

EXPECTED_COUNTS = {
    1: 7,
    2: 8,
    3: 13,
    4: 10,
    5: 9,
    6: 8,
    7: 5,
    8: 12,
    9: 8,
    10: 10,
    11: 10,
    12: 11,
    13: 5,
    14: 10,
    15: 12,
    16: 12,
    17: 19,
}
EXPECTED_COLOURS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}
# Letters run a-c, except Goal 3, which has a fourth means-of-implementation target, 3.d.
KEY_RE = re.compile(r"^\d{1,2}\.(\d{1,2}|[a-d])$")
HEX_RE = re.compile(r"^#[0-9A-F]{6}$")


def _luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_seventeen_goals_numbered_in_order():
    assert list(sdg.GOALS) == list(range(1, 18))
    assert all(g.number == n for n, g in sdg.GOALS.items())


def test_goal_titles():
    assert sdg.GOALS[1].title == "No poverty"
    assert sdg.GOALS[2].title == "Zero hunger"
    assert sdg.GOALS[3].title == "Good health and well-being"
    assert sdg.GOALS[11].title == "Sustainable cities and communities"
    assert sdg.GOALS[17].title == "Partnerships for the goals"
    assert len({g.title for g in sdg.GOALS.values()}) == 17


def test_169_targets():
    assert len(sdg.TARGETS) == 169
    assert sum(len(g.targets) for g in sdg.GOALS.values()) == 169


def test_target_counts_per_goal():
    assert {n: len(g.targets) for n, g in sdg.GOALS.items()} == EXPECTED_COUNTS
    assert sum(EXPECTED_COUNTS.values()) == 169


def test_keys_well_formed_and_prefixed_by_goal():
    for g in sdg.GOALS.values():
        for t in g.targets:
            assert KEY_RE.match(t.key), t.key
            assert t.key.split(".")[0] == str(g.number)
            assert t.goal == g.number
            assert sdg.goal_of(t.key) == g.number


def test_keys_unique_and_consecutive():
    keys = [t.key for g in sdg.GOALS.values() for t in g.targets]
    assert len(keys) == len(set(keys))
    for g in sdg.GOALS.values():
        subs = [t.key.split(".")[1] for t in g.targets]
        numeric = [int(s) for s in subs if s.isdigit()]
        letters = [s for s in subs if not s.isdigit()]
        assert numeric == list(range(1, len(numeric) + 1))
        assert letters == ["a", "b", "c", "d"][: len(letters)]
        assert subs == [str(n) for n in numeric] + letters


def test_only_target_3d_uses_letter_d():
    assert [t.key for t in sdg.TARGETS.values() if t.key.endswith(".d")] == ["3.d"]


def test_goal_17_has_no_lettered_targets():
    assert [t.key for t in sdg.GOALS[17].targets] == [f"17.{i}" for i in range(1, 20)]


def test_targets_dict_in_official_order():
    keys = list(sdg.TARGETS)
    assert keys[0] == "1.1"
    assert keys[-1] == "17.19"
    assert keys == sorted(keys, key=sdg.target_sort_key)
    assert keys[keys.index("11.7") + 1] == "11.a"


def test_colours():
    for n, g in sdg.GOALS.items():
        assert HEX_RE.match(g.colour)
        assert HEX_RE.match(g.text_colour)
        assert g.colour == EXPECTED_COLOURS[n]


def test_text_colour_passes_wcag_aa():
    for g in sdg.GOALS.values():
        assert _contrast(g.colour, g.text_colour) >= 4.5, g.number


def test_target_texts():
    for t in sdg.TARGETS.values():
        assert t.text == t.text.strip()
        assert len(t.text) > 30, t.key
        assert "..." not in t.text and "\u2026" not in t.text, t.key


def test_known_target_texts():
    assert sdg.target("1.1").text.startswith("By 2030, eradicate extreme poverty")
    assert sdg.target("11.3").text == (
        "By 2030, enhance inclusive and sustainable urbanization and capacity for "
        "participatory, integrated and sustainable human settlement planning and "
        "management in all countries"
    )
    assert sdg.target("17.19").text.endswith("capacity-building in developing countries")


def test_json_matches_loaded_data():
    raw = resources.files("nanum.taxonomy").joinpath("data/sdg.json").read_text("utf-8")
    data = json.loads(raw)
    assert [g["number"] for g in data] == list(range(1, 18))
    assert [t["key"] for g in data for t in g["targets"]] == list(sdg.TARGETS)


def test_lookup_functions():
    assert sdg.goal(11) is sdg.GOALS[11]
    assert sdg.goal(0) is None
    assert sdg.goal(18) is None
    assert sdg.target("11.a").goal == 11
    assert sdg.target("11.d") is None
    assert sdg.target("11.3").label == "Target 11.3"


def test_dataclasses_are_frozen():
    with pytest.raises(FrozenInstanceError):
        sdg.GOALS[1].title = "x"
    with pytest.raises(FrozenInstanceError):
        sdg.TARGETS["1.1"].text = "x"
    assert isinstance(sdg.GOALS[1].targets, tuple)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11.3", "11.3"),
        (" 11.3 ", "11.3"),
        ("11.A", "11.a"),
        ("11.a", "11.a"),
        ("SDG 11.3", "11.3"),
        ("sdg11", "11"),
        ("SDG11", "11"),
        ("11", "11"),
        ("1", "1"),
        ("17.19", "17.19"),
        ("16.10", "16.10"),
        ("18", None),
        ("0", None),
        ("11.9", None),
        ("11.d", None),
        ("17.a", None),
        ("17.20", None),
        ("", None),
        ("   ", None),
        ("abc", None),
        ("11.", None),
        (".3", None),
        ("11.3.1", None),
        ("sdg", None),
    ],
)
def test_normalise_key(raw, expected):
    assert sdg.normalise_key(raw) == expected


def test_target_sort_key():
    keys = ["11.a", "11.10", "11.2", "2.1", "11.b", "11.1"]
    assert sorted(keys, key=sdg.target_sort_key) == ["2.1", "11.1", "11.2", "11.10", "11.a", "11.b"]
    assert sdg.target_sort_key("11.2") < sdg.target_sort_key("11.10") < sdg.target_sort_key("11.a")
    assert sdg.target_sort_key("9.c") < sdg.target_sort_key("10.1")


def test_goal_of():
    assert sdg.goal_of("11.3") == 11
    assert sdg.goal_of("1.a") == 1
    assert sdg.goal_of("17.19") == 17


def test_expand_goals():
    assert sdg.expand_goals([]) == set()
    assert sdg.expand_goals(["11.3", "11.a", "1.2", "17.19"]) == {1, 11, 17}
    assert sdg.expand_goals(iter(["5.c"])) == {5}


def test_common_passwords_file():
    path = resources.files("nanum.accounts").joinpath("data/common_passwords.txt")
    lines = path.read_text("utf-8").splitlines()
    assert 300 <= len(lines) <= 1000
    assert len(lines) == len(set(lines))
    for line in lines:
        assert len(line) >= 10, line
        assert line == line.strip().lower(), line
    assert {"1234567890", "qwertyuiop", "password123", "1qaz2wsx3edc"} <= set(lines)
