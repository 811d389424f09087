"""`suggest(text)`: goals and targets with scores, the words and sentence behind them."""

import pytest

from nanum.sdg import aurora, features, suggest

WATER = ("The county water utility extended piped drinking water to informal settlements and "
         "built public toilets with handwashing stations. Kiosk committees now test water "
         "quality every week.")
ENERGY = "Rooftop solar panels and a mini-grid brought electricity to schools on remote islands."


def test_a_water_text_is_about_goal_six_with_its_targets_and_words():
    found = suggest(WATER)
    assert 6 in found["about"]
    top = found["goals"][0]
    assert top["goal"] == 6 and 0 < top["score"] <= 1
    assert "water" in top["words"]
    assert top["sentence"] in WATER
    assert found["targets"][0]["target"].startswith("6.")


def test_an_energy_text_is_about_goal_seven_not_six():
    found = suggest(ENERGY)
    assert 7 in found["about"] and 6 not in found["about"]


def test_scores_are_sorted_and_about_goals_are_listed():
    found = suggest(WATER + " " + ENERGY)
    scores = [goal["score"] for goal in found["goals"]]
    assert scores == sorted(scores, reverse=True)
    assert set(found["about"]) <= {goal["goal"] for goal in found["goals"]}
    assert all(target["score"] <= 1 for target in found["targets"])


@pytest.mark.parametrize("text", ["", "   ", "!!! ???", "12345"])
def test_a_text_without_words_gets_no_goals(text):
    assert suggest(text) == {"goals": [], "targets": [], "about": []}


def test_a_huge_text_is_cut_before_it_is_read(monkeypatch):
    seen = []
    real_hits = aurora.hits
    monkeypatch.setattr(aurora, "hits", lambda text: seen.append(len(text)) or real_hits(text))
    found = suggest(WATER * 20_000)
    assert seen == [features.MAX_CHARS]
    assert 6 in found["about"]


def test_a_non_text_is_refused():
    with pytest.raises(TypeError):
        suggest(None)


def test_the_embeddings_load_from_the_installed_package_alone(monkeypatch):
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError("the suggester tried to fetch something")

    monkeypatch.setattr(requests, "get", no_network)
    monkeypatch.setattr(requests.Session, "request", no_network)
    features.embedder.cache_clear()
    try:
        assert features.embed(["clean water"]).shape == (1, 256)
    finally:
        features.embedder.cache_clear()
