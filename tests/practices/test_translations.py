"""Translations of a practice: adding one, the refusals, and what the pages offer."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from nanum.errors import Forbidden, Invalid
from nanum.extensions import db
from nanum.practices import services, translations
from nanum.practices.models import Practice

SPANISH = {"title": "Banderas ante la marejada", "summary": "Las banderas avisan de la marejada.",
           "kind": "case_study", "language": "es", "countries": ["PH"], "targets": ["11.5"]}


def practices():
    return db.session.scalar(select(func.count(Practice.id)))


@pytest.fixture
def original(make):
    organisation = make.organisation(name="Dalisay Bay", country="PH")
    return make.practice(title="Storm-surge flags", organisation=organisation,
                         summary="Flags warn of surges.", language="en",
                         tagged={"countries": ["PH"], "targets": ["11.5"]})


@pytest.fixture
def translator(make, original):
    return make.member(organisation=original.organisation, email="translator@example.org")


def translate(user, original, action="submit", **changes):
    return services.create(user, original.organisation_id, {**SPANISH, **changes},
                           action=action, translation_of=original)


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_member_adds_a_translation_linked_to_the_original(original, translator):
    spanish = translate(translator, original)
    assert spanish.translation_of == original and spanish.language == "es"
    assert spanish.organisation_id == original.organisation_id
    assert spanish.is_published and len(spanish.revisions) >= 1
    assert translations.versions(original) == [(spanish.id, "es", SPANISH["title"])]
    assert translations.versions(spanish) == [(original.id, "en", "Storm-surge flags")]


def test_a_member_of_another_organisation_cannot_add_a_translation(make, original):
    outsider = make.member(email="outsider@example.org")
    before = practices()
    with pytest.raises(Forbidden):
        services.create(outsider, outsider.memberships[0].organisation_id, SPANISH,
                        translation_of=original)
    assert practices() == before
    assert not translations.can_translate(outsider, original)


def test_one_version_a_language_in_a_group(original, translator):
    spanish = translate(translator, original)
    before = practices()
    with pytest.raises(Invalid) as refused:
        translate(translator, original, title="Otra versión")
    assert "already has a version in that language" in refused.value.errors["language"]
    # A translation of the translation joins the original's group: English is taken.
    with pytest.raises(Invalid):
        translate(translator, spanish, language="en", title="Flags again")
    assert practices() == before
    french = translate(translator, spanish, language="fr", title="Drapeaux")
    assert french.translation_of == original
    # Editing a version into a language the group already has is refused too.
    with pytest.raises(Invalid):
        services.update(translator, french, {**services.form_values(french), "language": "es"})
    db.session.rollback()
    assert db.session.get(Practice, french.id).language == "fr"


def test_a_translation_goes_through_review_like_any_practice(original, translator):
    draft = translate(translator, original, action="draft")
    assert draft.status == "draft" and translations.versions(original) == []


def test_the_page_offers_the_version_in_the_readers_language(client, original, translator):
    spanish = translate(translator, original)
    page = soup(client.get(f"/practices/{original.id}", headers={"Accept-Language": "es"}))
    offer = page.select_one(".reader-language a")
    assert offer["href"] == f"/practices/{spanish.id}" and offer.get_text() == SPANISH["title"]
    also = page.select_one(".also-in a")
    assert also["hreflang"] == "es" and also.get_text() == "Español"
    english = soup(client.get(f"/practices/{original.id}", headers={"Accept-Language": "en"}))
    assert english.select_one(".reader-language") is None
    assert english.select_one(".also-in a").get_text() == "Spanish"
    # The Spanish version itself offers nothing more to a Spanish reader.
    own = soup(client.get(f"/practices/{spanish.id}", headers={"Accept-Language": "es"}))
    assert own.select_one(".reader-language") is None


def test_adding_a_translation_from_the_page(client, auth, post, original, translator):
    auth.login("translator@example.org")
    page = soup(client.get(f"/practices/{original.id}"))
    link = page.find("a", string="Add a translation")
    assert link["href"] == f"/practices/{original.id}/translate"
    chooser = soup(client.get(link["href"]))
    assert chooser.select_one('select[name="language"] option[value="es"]')
    assert not chooser.select_one('select[name="language"] option[value="en"]')
    form = soup(client.get(f"/practices/{original.id}/translate?language=es"))
    assert form.select_one('input[name="language"]')["value"] == "es"
    assert form.select_one('input[name="title"]')["value"] == "Storm-surge flags"
    response = post(f"/practices/{original.id}/translate",
                    {**SPANISH, "countries": "PH", "organisation": original.organisation_id,
                     "action": "draft"}, page=f"/practices/{original.id}/translate?language=es")
    assert response.status_code == 302
    spanish = db.session.scalar(select(Practice).where(Practice.language == "es"))
    assert spanish.translation_of_id == original.id


def test_a_taken_language_is_refused_with_a_message(client, auth, original, translator):
    auth.login("translator@example.org")
    page = client.get(f"/practices/{original.id}/translate?language=en", follow_redirects=True)
    assert "already has a version in that language" in page.get_data(as_text=True)
    page = client.get(f"/practices/{original.id}/translate?language=xx")
    assert "Unknown language code" in page.get_data(as_text=True)


def test_an_outsider_is_refused_the_translation_form(client, auth, make, original):
    make.member(email="outsider@example.org")
    auth.login("outsider@example.org")
    assert client.get(f"/practices/{original.id}/translate").status_code == 403
    page = soup(client.get(f"/practices/{original.id}"))
    assert page.find("a", string="Add a translation") is None
