"""The relevance benchmark's measures give known values on a small hand-worked example."""

import importlib.util
import math
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "relevance.py"


@pytest.fixture(scope="module")
def relevance():
    spec = importlib.util.spec_from_file_location("relevance_measures", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Judged: a and b highly relevant, c partly, d not; e was never judged.
JUDGED = {"a": 2, "b": 2, "c": 1, "d": 0}


def test_ndcg_of_the_ideal_order_is_one(relevance):
    assert relevance.ndcg(["a", "b", "c", "d"], JUDGED) == pytest.approx(1.0)


def test_ndcg_discounts_graded_gains_by_rank(relevance):
    # Ranked c, e, a: gains 1, 0 (unjudged), 2 at ranks 1..3.
    got = 1 / math.log2(2) + 0 + 2 / math.log2(4)
    ideal = 2 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)
    assert relevance.ndcg(["c", "e", "a"], JUDGED) == pytest.approx(got / ideal)
    assert relevance.ndcg(["c", "e", "a"], JUDGED) == pytest.approx(0.5317, abs=1e-4)


def test_ndcg_looks_only_at_the_first_ten(relevance):
    ranked = [f"x{i}" for i in range(10)] + ["a", "b", "c"]
    assert relevance.ndcg(ranked, JUDGED) == 0.0


def test_a_query_without_relevant_documents_is_not_scored(relevance):
    assert relevance.ndcg(["d"], {"d": 0}) is None
    assert relevance.recall(["d"], {"d": 0}) is None


def test_precision_counts_partly_relevant_documents_out_of_ten(relevance):
    assert relevance.precision(["a", "d", "c", "e"], JUDGED) == pytest.approx(0.2)
    assert relevance.precision([], JUDGED) == 0.0


def test_recall_at_fifty_is_the_share_of_relevant_documents_found(relevance):
    ranked = ["d", "c"] + [f"x{i}" for i in range(47)] + ["a", "b"]  # b is 51st
    assert relevance.recall(ranked, JUDGED) == pytest.approx(2 / 3)


def test_averages_are_per_kind_and_leave_out_unscored_queries(relevance):
    queries = [{"id": "s1", "kind": "short"}, {"id": "s2", "kind": "short"},
               {"id": "q1", "kind": "question"}]
    judgements = {"s1": JUDGED, "s2": {"d": 0}, "q1": {"a": 2}}
    runs = {"s1": ["a", "b", "c"], "s2": ["d"], "q1": ["d", "a"]}
    means = relevance.averages(relevance.score_run(runs, queries, judgements), queries)
    assert means["short"]["nDCG@10"] == pytest.approx(1.0)  # s2 cannot be scored
    assert means["short"]["P@10"] == pytest.approx((0.3 + 0.0) / 2)
    assert means["question"]["nDCG@10"] == pytest.approx(1 / math.log2(3))
    assert means["all"]["nDCG@10"] == pytest.approx((1.0 + 1 / math.log2(3)) / 2)
    assert means["all"]["R@50"] == pytest.approx(1.0)


def test_the_pool_lists_unjudged_pairs_without_naming_systems(relevance):
    runs = {"one": {"s1": ["a", "e", "f"]}, "two": {"s1": ["f", "g", "a"]}}
    # a is judged, and g is deeper than the pool in "one" but within it in "two".
    assert relevance.unjudged_pool(runs, {"s1": JUDGED}, depth=2) == [
        ("s1", "e"), ("s1", "f"), ("s1", "g")]
