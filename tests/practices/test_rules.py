from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanum.errors import Invalid
from nanum.practices import rules

GOOD = {"title": "Flood early warning by SMS", "summary": "A summary.", "kind": "case_study",
        "countries": ["ke", "UG", "KE"], "targets": ["11.5", "13.1"], "goals": ["6"],
        "themes": ["drr_resilience"], "tags": "Floods, early warning, floods",
        "period_start": "2019", "period_end": "2022", "budget_amount": "1200.50",
        "budget_currency": "kes", "staff_fte": "2.5", "population_band": "10k_50k"}


def test_clean_tidies_values():
    values = rules.clean(GOOD, complete=True)
    assert values["countries"] == ["KE", "UG"]
    assert values["targets"] == ["11.5", "13.1"]
    assert values["goals"] == [6, 11, 13]  # targets imply their goals
    assert values["tags"] == ["floods", "early warning"]
    assert values["budget_amount"] == Decimal("1200.50")
    assert values["budget_currency"] == "KES"
    assert values["period_start"] == 2019 and values["language"] == "en"


@pytest.mark.parametrize("change, field", [
    ({"title": "ab"}, "title"), ({"title": "x" * 201}, "title"), ({"kind": "poem"}, "kind"),
    ({"countries": ["XX"]}, "countries"), ({"targets": ["11.9"]}, "targets"),
    ({"targets": ["18.1"]}, "targets"), ({"goals": ["18"]}, "goals"),
    ({"themes": ["other"]}, "themes"), ({"period_start": "soon"}, "period_start"),
    ({"period_end": "2010"}, "period_end"), ({"budget_amount": "-3"}, "budget_amount"),
    ({"budget_currency": "ABC"}, "budget_currency"), ({"language": "zz"}, "language"),
    ({"population_band": "huge"}, "population_band"), ({"summary": "x" * 1501}, "summary"),
    ({"lessons": "x" * 20001}, "lessons"), ({"tags": "x" * 51}, "tags"),
    ({"staff_fte": "1e9"}, "staff_fte"),
])
def test_clean_names_the_bad_field(change, field):
    with pytest.raises(Invalid) as caught:
        rules.clean({**GOOD, **change}, complete=False)
    assert field in caught.value.errors


def test_draft_needs_only_a_title_but_submission_more():
    draft = rules.clean({"title": "Just an idea", "kind": "research"}, complete=False)
    assert draft["countries"] == []
    with pytest.raises(Invalid) as caught:
        rules.clean({"title": "Just an idea", "kind": "research"}, complete=True)
    assert {"summary", "countries", "targets"} <= set(caught.value.errors)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(rules.SCALARS + rules.LISTS),
                       st.one_of(st.text(max_size=30), st.lists(st.text(max_size=8)),
                                 st.integers(), st.floats(), st.none())))
def test_clean_never_raises_anything_but_invalid(fields):
    try:
        rules.clean(fields, complete=False)
    except Invalid:
        pass
