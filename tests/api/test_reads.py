"""The API's read endpoints: what each returns, its filters, and that hidden content stays
hidden."""

from nanum.curation.models import Collection, CollectionItem
from nanum.discussions import services as discussions
from nanum.extensions import db
from nanum.search import service as search
from nanum.timeutil import utcnow


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def test_practice_list_filters_like_the_browse_page(client, make):
    kenya = make.practice(title="Water kiosks", tagged={"countries": ["KE"], "targets": ["6.1"]})
    make.practice(title="Bus lanes", tagged={"countries": ["VN"], "targets": ["11.2"]})
    make.practice(title="Draft plan", status="draft")
    listed = get_json(client, "/api/v1/practices/")
    assert sorted(p["title"] for p in listed["practices"]) == ["Bus lanes", "Water kiosks"]
    assert listed["paging"]["total"] == 2
    found = get_json(client, "/api/v1/practices/?country=ke&goal=6")["practices"]
    assert [p["id"] for p in found] == [kenya.id]
    assert found[0]["countries"] == ["KE"] and found[0]["goals"] == [6]
    assert get_json(client, "/api/v1/practices/?target=11.2")["practices"][0]["title"] == (
        "Bus lanes")


def test_an_unknown_filter_value_is_a_400_naming_it(client):
    error = get_json(client, "/api/v1/practices/?theme=nonsense&goal=6", 400)["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["theme"]


def test_practice_detail_has_sections_targets_context_and_files(app, client, make):
    from fixtures.world import pdf
    from nanum.practices import attachments

    member = make.member()
    practice = make.practice(organisation=member.memberships[0].organisation,
                             lessons="Start *small*.", settlement_type="rural",
                             tagged={"countries": ["KE"], "targets": ["11.3"]})
    attachment = attachments.add(member, practice, pdf("plan.pdf"))
    found = get_json(client, f"/api/v1/practices/{practice.id}")
    sections = {s["key"]: s for s in found["sections"]}
    assert sections["lessons"]["markdown"] == "Start *small*."
    assert "<em>small</em>" in sections["lessons"]["html"]
    assert found["targets"][0]["key"] == "11.3" and found["targets"][0]["text"]
    assert {"key": "settlement_type", "label": "Settlement", "value": "rural",
            "value_label": "Rural"} in found["context_profile"]
    assert found["organisation"]["name"] == practice.organisation.name
    [listed] = found["attachments"]
    assert listed["name"] == "plan.pdf" and listed["mime_type"] == "application/pdf"
    download = client.get(listed["download_url"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert attachment.id == listed["id"]


def test_unpublished_and_hidden_practices_are_not_found(client, make):
    for status in ("draft", "submitted", "hidden", "rejected"):
        practice = make.practice(status=status, title=f"Secret {status}")
        response = client.get(f"/api/v1/practices/{practice.id}")
        error = get_json(client, f"/api/v1/practices/{practice.id}", 404)["error"]
        reference = error.pop("reference")
        assert error == {"status": 404, "code": "not_found", "message": "No such practice."}
        # The reference to quote is the request's id, sent in its header too.
        assert len(reference) == len(response.headers["X-Request-ID"]) >= 16
        get_json(client, f"/api/v1/practices/{practice.id}/discussion", 404)
    assert get_json(client, "/api/v1/practices/")["practices"] == []


def test_organisations_list_and_detail_leave_out_hidden_ones(client, make):
    shown = make.organisation(name="Kisumu County")
    hidden = make.organisation(name="Hidden Trust", hidden=True)
    names = [o["name"] for o in get_json(client, "/api/v1/organisations/")["organisations"]]
    assert names == ["Kisumu County"]
    found = get_json(client, f"/api/v1/organisations/{shown.id}")
    assert found["country"] == "KE" and found["type"] == "NRI"
    assert f"organisation={shown.id}" in found["practices_url"]
    get_json(client, f"/api/v1/organisations/{hidden.id}", 404)


def test_the_sdg_taxonomy(client):
    goals = get_json(client, "/api/v1/sdg/goals")["goals"]
    assert len(goals) == 17 and sum(len(g["targets"]) for g in goals) == 169
    assert get_json(client, "/api/v1/sdg/goals/11")["targets"][2]["key"] == "11.3"
    assert get_json(client, "/api/v1/sdg/targets/6.b")["goal"] == 6
    get_json(client, "/api/v1/sdg/goals/18", 404)
    get_json(client, "/api/v1/sdg/targets/6.z", 404)


def test_search_returns_hits_facets_and_counts(client, make):
    make.practice(title="Cistern levy in Kitui", tagged={"countries": ["KE"], "targets": ["6.1"]})
    make.practice(title="Cistern repair in Hue", tagged={"countries": ["VN"], "targets": ["6.1"]})
    make.practice(title="Secret cistern", status="hidden")
    search.sync()
    found = get_json(client, "/api/v1/search?q=cistern")
    assert found["total"] == 2
    assert {hit["title"] for hit in found["hits"]} == {"Cistern levy in Kitui",
                                                      "Cistern repair in Hue"}
    assert "<mark>" in found["hits"][0]["snippet_html"]
    assert {"value": "KE", "count": 1} in found["facets"]["country"]
    narrowed = get_json(client, "/api/v1/search?q=cistern&country=VN")
    assert [hit["title"] for hit in narrowed["hits"]] == ["Cistern repair in Hue"]
    get_json(client, "/api/v1/search?q=cistern&kind=poem", 400)


def test_discussion_of_a_practice_hides_held_and_hidden_text(client, make):
    practice = make.practice()
    first, second, third = make.user(name="Ana"), make.user(), make.user()
    opening = discussions.reply(first, practice=practice, body="How was it paid for?")
    hidden = discussions.reply(second, practice=practice, body="Rude words",
                               parent_id=opening.id)
    held = discussions.reply(third, practice=practice, body="Buy my pills")
    hidden.hidden, held.held = True, True
    db.session.commit()
    found = get_json(client, f"/api/v1/practices/{practice.id}/discussion")
    posts = {post["id"]: post for post in found["posts"]}
    assert held.id not in posts
    assert posts[opening.id]["body"] == "How was it paid for?"
    assert posts[opening.id]["author"] == "Ana"
    assert posts[hidden.id]["state"] == "hidden" and posts[hidden.id]["body"] is None
    assert posts[hidden.id]["parent_id"] == opening.id and posts[hidden.id]["depth"] == 1
    assert "Rude" not in str(found) and "pills" not in str(found)


def test_topics_list_and_read(client, make):
    asker = make.user()
    topic = discussions.start_topic(asker, category="questions", title="Paying for cisterns",
                                    body="Who paid?")
    hidden = discussions.start_topic(asker, category="questions", title="Hidden topic",
                                     body="Spam")
    hidden.hidden = True
    db.session.commit()
    listed = get_json(client, "/api/v1/topics/")["topics"]
    assert [t["title"] for t in listed] == ["Paying for cisterns"]
    read = get_json(client, f"/api/v1/topics/{topic.id}")
    assert read["posts"][0]["body"] == "Who paid?"
    get_json(client, f"/api/v1/topics/{hidden.id}", 404)


def test_collections_show_only_published_ones_and_published_practices(client, make):
    shown, draft = make.practice(title="Shown"), make.practice(title="Draft", status="draft")
    collection = Collection(title="Water", published=True, published_at=utcnow())
    unpublished = Collection(title="Not yet", published=False)
    db.session.add_all([collection, unpublished])
    db.session.flush()
    db.session.add_all([CollectionItem(collection_id=collection.id, practice_id=shown.id,
                                       note="A good start", position=0),
                        CollectionItem(collection_id=collection.id, practice_id=draft.id,
                                       position=1)])
    db.session.commit()
    listed = get_json(client, "/api/v1/collections/")["collections"]
    assert [(c["title"], c["practice_count"]) for c in listed] == [("Water", 1)]
    read = get_json(client, f"/api/v1/collections/{collection.id}")
    assert [(i["practice"]["title"], i["note"]) for i in read["items"]] == [
        ("Shown", "A good start")]
    get_json(client, f"/api/v1/collections/{unpublished.id}", 404)


def test_a_hidden_discussion_of_a_published_practice_is_not_found(client, make):
    practice = make.practice()
    post = discussions.reply(make.user(), practice=practice, body="Spam, spam")
    post.thread.hidden = True
    db.session.commit()
    error = get_json(client, f"/api/v1/practices/{practice.id}/discussion", 404)["error"]
    assert error["message"] == "No such discussion."
