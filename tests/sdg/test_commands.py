"""`nanum sdg suggest`: JSON Lines in, one JSON line out per text, errors on their own lines."""

import json

LINES = [
    json.dumps({"id": "a", "text": "Village committees repaired boreholes so that families "
                                   "have safe drinking water."}),
    "not json",
    json.dumps({"id": 7, "text": 5}),
    json.dumps([1, 2]),
    "",
    json.dumps({"id": {"x": 1}, "text": "ok"}),
    json.dumps({"text": "Solar mini-grids bring electricity to remote islands."}),
]


def answers(runner, lines):
    result = runner.invoke(args=["sdg", "suggest"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_each_text_gets_a_line_and_bad_lines_an_error(runner):
    out = answers(runner, LINES)
    assert len(out) == 6
    assert out[0]["id"] == "a" and 6 in out[0]["about"]
    assert set(out[0]) == {"id", "goals", "targets", "about"}
    assert out[1] == {"id": None, "error": "line 2: not valid JSON"}
    assert out[2] == {"id": 7, "error": "line 3: \"text\" must be a string"}
    assert out[3]["id"] is None and "expected an object" in out[3]["error"]
    assert out[4]["id"] is None and "\"id\" must be" in out[4]["error"]
    assert out[5]["id"] is None and 7 in out[5]["about"]


def test_goal_entries_have_the_documented_shape(runner):
    goal = answers(runner, LINES[:1])[0]["goals"][0]
    assert isinstance(goal["goal"], int) and isinstance(goal["score"], float)
    target = answers(runner, LINES[:1])[0]["targets"][0]
    assert target["target"].count(".") == 1 and isinstance(target["score"], float)
