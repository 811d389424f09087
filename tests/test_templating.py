"""The helpers pages share: addresses made for many values of one argument."""

from flask import url_for

from nanum.templating import url_for_each


def test_addresses_made_for_each_value_are_those_of_url_for(app):
    app.add_url_rule("/numbered/<int(fixed_digits=4):number>", "numbered", lambda number: "")
    for root in ("", "/root"):
        with app.test_request_context("/", base_url=f"http://nanum.localhost{root}"):
            for endpoint, argument in (("practices.detail", "practice_id"),
                                       ("discussions.permalink", "post_id"),
                                       ("numbered", "number")):
                address = url_for_each(endpoint, argument)
                for value in (1, 42, 918273645):
                    assert address(value) == url_for(endpoint, **{argument: value})
            assert url_for_each("practices.detail", "practice_id")(7) == f"{root}/practices/7"
            assert url_for_each("numbered", "number")(7) == f"{root}/numbered/0007"
