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


def test_the_kept_main_links_mark_each_page_own_section_in_its_language(client):
    from bs4 import BeautifulSoup

    seen = []
    for url, language in (("/practices/", "en"), ("/organisations/", "fr"), ("/about", "en"),
                          ("/sdg/coverage", "en"), ("/practices/", "fr"), ("/events/", "en")):
        response = client.get(url, headers={"Accept-Language": language})
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        marked = {" ".join(a.get_text() for a in nav.select('a[aria-current="page"]'))
                  for nav in soup.select("nav.main-nav, .site-menu nav")}
        seen.append((marked, soup.select_one("footer nav a").get_text()))
    assert seen == [({"Practices"}, "About Nanum"), ({"Organisations"}, "À propos de Nanum"),
                    ({"About"}, "About Nanum"), ({"Coverage"}, "About Nanum"),
                    ({"Pratiques"}, "À propos de Nanum"), ({"Events"}, "About Nanum")]
