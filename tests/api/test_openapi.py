"""Every read endpoint answers with what its OpenAPI description says, on real content."""

import jsonschema
import pytest

from fixtures.gatherings import events_and_posts
from nanum.api import tokens
from nanum.curation.models import Collection, CollectionItem
from nanum.discussions import services as discussions
from nanum.extensions import db
from nanum.search import service as search
from nanum.timeutil import utcnow


def _content(make):
    """Something of every kind for the endpoints to show; return the path arguments."""
    from fixtures.world import pdf
    from nanum.practices import attachments

    member = make.member()
    organisation = member.memberships[0].organisation
    practice = make.practice(organisation=organisation, lessons="Start *small*.",
                             settlement_type="rural", budget_amount=1200, budget_currency="USD",
                             tagged={"countries": ["KE"], "targets": ["6.1"],
                                     "themes": ["local_action"]})
    attachments.add(member, practice, pdf("plan.pdf"))
    first = discussions.reply(member, practice=practice, body="How was it *paid* for?")
    hidden = discussions.reply(make.user(), practice=practice, body="Spam", parent_id=first.id)
    hidden.hidden = True
    topic = discussions.start_topic(member, category="questions", title="Paying for water",
                                    body="Who paid for the kiosks?")
    collection = Collection(title="Water", published=True, published_at=utcnow())
    db.session.add(collection)
    db.session.flush()
    db.session.add(CollectionItem(collection_id=collection.id, practice_id=practice.id,
                                  note="Worth copying"))
    db.session.commit()
    search.sync()
    _, token = tokens.create(member, "Reader", ["read"])
    published = {name: values[0] for name, values in events_and_posts(make, practice).items()}
    return token, {"practice_id": practice.id, "organisation_id": organisation.id,
                   "number": 6, "key": "6.1", "collection_id": collection.id,
                   "thread_id": topic.id, **published}


def test_every_read_matches_its_description(client, make):
    token, arguments = _content(make)
    spec = client.get("/api/v1/openapi.json").get_json()
    checked = []
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        url = path.format(**{name: arguments[name] for name in arguments
                             if "{" + name + "}" in path})
        if "search" in path:
            url += "?q=water"
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        schema = operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.validate(response.get_json(),
                            {**schema, "components": spec["components"]},
                            cls=jsonschema.Draft202012Validator)
        checked.append(path)
    assert len(checked) == 18
    listing = spec["paths"]["/api/v1/practices/"]["get"]["responses"]["200"]["content"]
    with pytest.raises(jsonschema.ValidationError):  # the description does constrain
        jsonschema.validate({"practices": [{"id": "seven"}]},
                            {**listing["application/json"]["schema"],
                             "components": spec["components"]},
                            cls=jsonschema.Draft202012Validator)


def test_errors_match_the_error_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    error_schema = {"$ref": "#/components/schemas/Error", "components": spec["components"]}
    for url in ("/api/v1/practices/0", "/api/v1/practices/?per_page=0", "/api/v1/me"):
        jsonschema.validate(client.get(url).get_json(), error_schema,
                            cls=jsonschema.Draft202012Validator)
