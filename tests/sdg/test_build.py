"""`nanum sdg build` trains the weights from written texts, the same way every time."""

import json

import numpy as np

from nanum.sdg import model

TEXTS = [
    ("Village water committees repaired boreholes so families have safe drinking water.", [6]),
    ("The town treats its wastewater before it reaches the river.", [6]),
    ("Solar mini-grids brought electricity to remote islands.", [7]),
    ("A clean cooking programme replaced charcoal stoves with LPG.", [7]),
    ("School feeding gives children a hot lunch and keeps them in class.", [2, 4]),
]


def test_build_writes_weights_that_load_and_repeat(runner, tmp_path):
    training = tmp_path / "train.jsonl"
    training.write_text("".join(json.dumps({"id": i, "text": t, "goals": g}) + "\n"
                                for i, (t, g) in enumerate(TEXTS * 4)))
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    for output in (first, second):
        result = runner.invoke(args=["sdg", "build", "--training", str(training),
                                     "--output", str(output)])
        assert result.exit_code == 0, result.output
    a, b = np.load(first), np.load(second)
    assert a["coef"].shape[0] == 17 and len(a["thresholds"]) == 17
    assert all(np.array_equal(a[key], b[key]) for key in a.files)
    suggester = model.Suggester.load(first)
    assert "about" in suggester.suggest("Safe drinking water for every village.")


def test_build_refuses_a_missing_training_file(runner, tmp_path):
    result = runner.invoke(args=["sdg", "build", "--training", str(tmp_path / "none.jsonl")])
    assert result.exit_code != 0 and "does not exist" in result.output
