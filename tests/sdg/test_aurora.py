"""The Aurora queries, read from their Scopus syntax, match texts as their experts meant."""

from nanum.sdg import aurora


def matches(query, text):
    return bool(aurora.Text(text).match(aurora._parse(query)))


def test_every_shipped_query_line_parses():
    goals = {query.goal for query in aurora.queries()}
    assert goals == set(range(1, 18))
    assert len(aurora.queries()) > 350


def test_a_prefix_matches_any_ending_and_a_word_its_plural():
    assert matches('"sanit*"', "Sanitary facilities")
    assert matches('"toilet"', "New toilets were built")
    assert not matches('"toilet"', "Toiletries were sold")


def test_a_phrase_needs_its_words_in_order():
    assert matches('"open defecation"', "ending open defecation")
    assert not matches('"open defecation"', "defecation in the open")


def test_proximity_counts_words_between():
    query = '( "drinking" W/3 "water" ) W/3 ( "access*" OR "safe*" )'
    assert matches(query, "access to clean drinking water")
    assert not matches(query, "access was discussed at length by the committee before any "
                              "drinking of water")


def test_and_not_excludes():
    query = '( "poverty" ) AND NOT ( "energy poverty" )'
    assert matches(query, "extreme poverty fell")
    assert not matches(query, "energy poverty in winter")


def test_hits_name_the_goal_target_and_words():
    found = aurora.hits("The utility extended safe drinking water access to 40 villages.")
    assert (6, "6.1") in {(goal, target) for goal, target, _words in found}
    words = {word for goal, _target, matched in found if goal == 6 for word in matched}
    assert "drinking" in words


def test_a_text_without_goal_words_matches_nothing():
    assert aurora.hits("The meeting starts at nine on Tuesday.") == []
