"""A practice in the API names its published versions in other languages, as its page does."""

from nanum.extensions import db


def _version(practice):
    return {"id": practice.id, "language": practice.language, "title": practice.title,
            "url": f"http://nanum.localhost/api/v1/practices/{practice.id}",
            "web_url": f"http://nanum.localhost/practices/{practice.id}"}


def test_a_practice_lists_its_translations_and_a_translation_its_original(client, make):
    organisation = make.organisation()
    original = make.practice(title="Storm-surge flags", language="en",
                             organisation=organisation)
    spanish = make.practice(title="Banderas ante la marejada", language="es",
                            organisation=organisation, translation_of=original)
    french = make.practice(title="Drapeaux de marée", language="fr",
                           organisation=organisation, translation_of=original)
    make.practice(title="Sturmflutflaggen", language="de", organisation=organisation,
                  translation_of=original, status="draft")  # not published: not listed
    db.session.commit()

    body = client.get(f"/api/v1/practices/{original.id}").get_json()
    assert body["translation_of"] is None
    assert body["translations"] == [_version(spanish), _version(french)]

    body = client.get(f"/api/v1/practices/{spanish.id}").get_json()
    assert body["translation_of"] == _version(original)
    assert body["translations"] == [_version(original), _version(french)]
    assert client.get(body["translations"][0]["url"]).get_json()["id"] == original.id


def test_a_translation_of_an_unpublished_original_names_no_original(client, make):
    organisation = make.organisation()
    original = make.practice(title="Storm-surge flags", language="en",
                             organisation=organisation, status="draft")
    spanish = make.practice(title="Banderas ante la marejada", language="es",
                            organisation=organisation, translation_of=original)
    db.session.commit()
    body = client.get(f"/api/v1/practices/{spanish.id}").get_json()
    assert body["translation_of"] is None and body["translations"] == []


def test_a_practice_without_translations_has_none(client, make):
    practice = make.practice(title="Alone")
    body = client.get(f"/api/v1/practices/{practice.id}").get_json()
    assert body["translations"] == [] and body["translation_of"] is None


def test_the_list_names_each_practice_s_language_and_group(client, make):
    organisation = make.organisation()
    original = make.practice(title="Storm-surge flags", language="en",
                             organisation=organisation)
    spanish = make.practice(title="Banderas ante la marejada", language="es",
                            organisation=organisation, translation_of=original)
    alone = make.practice(title="Alone", language="fr")
    db.session.commit()
    listed = {p["id"]: (p["language"], p["group_id"])
              for p in client.get("/api/v1/practices/").get_json()["practices"]}
    assert listed == {original.id: ("en", original.id), spanish.id: ("es", original.id),
                      alone.id: ("fr", alone.id)}
