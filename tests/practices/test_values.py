"""Many practices' collections read as plain values, in one query, in the models' order."""

from nanum.extensions import db
from nanum.practices import values
from nanum.practices.models import PracticeTag


def test_collections_are_read_in_one_query_in_the_relationships_order(app, make, count_queries):
    first = make.practice(tagged={"countries": ["UG", "KE", "BR"], "goals": [13, 6],
                                  "targets": ["6.1", "11.3", "13.1"],
                                  "themes": ["water_sanitation", "drr_resilience"]})
    second = make.practice(tagged={"countries": ["PE"], "targets": []})
    first.tags = [PracticeTag(tag=tag) for tag in ("wells", "Rain", "drought")]
    db.session.commit()
    db.session.expire_all()
    practices = [db.session.get(type(first), first.id), db.session.get(type(second), second.id)]
    expected = [(p.country_codes, p.goal_numbers, sorted(p.target_keys), p.theme_keys,
                 p.tag_names) for p in practices]
    with count_queries() as statements:
        read = values.read(db.session, practices)
    assert len(statements) == 1
    assert [(p.country_codes, p.goal_numbers, sorted(p.target_keys), p.theme_keys,
             p.tag_names) for p in read] == expected
    assert read[0].country_codes == ["UG", "KE", "BR"]  # as entered, not alphabetical
    assert read[0].goal_numbers == [6, 11, 13]  # numbers, in numeric order
    assert read[1].goal_numbers == [] and read[1].tag_names == []


def test_only_the_named_collections_are_read(app, make):
    practice = make.practice(tagged={"countries": ["KE"], "targets": ["11.3"]})
    [read] = values.read(db.session, [practice], ("countries",))
    assert read.country_codes == ["KE"]
    assert read.goal_numbers == []
    assert values.read(db.session, []) == []
