"""Markdown is cooked once, when it is written, and pages show what was stored."""

import pytest
from sqlalchemy import select, update

from fixtures.databases import sqlite_only
from nanum import markdown
from nanum.accounts import services as accounts
from nanum.accounts.models import User
from nanum.discussions import services as discussions
from nanum.discussions.models import Post
from nanum.extensions import db
from nanum.organisations import services as organisations
from nanum.organisations.models import Organisation
from nanum.practices import services as practices
from nanum.practices.models import Practice

# -- the renderer --------------------------------------------------------------------------


def html(source, mentions=None):
    return markdown.cook(source, mentions)[0]


def test_the_features_people_use_are_kept():
    assert "<table>" in html("| a | b |\n|:--|---|\n| 1 | 2 |") and '<td align="left">1' in html(
        "| a | b |\n|:--|---|\n| 1 | 2 |")
    assert "<pre><code>x = 1\n</code></pre>" in html("```python\nx = 1\n```")
    assert "<del>gone</del>" in html("~~gone~~") and "<del>" not in html("about ~5 km~")
    assert "<ol>" in html("1. one\n2. two") and "<ul>" in html("- one\n- two")
    assert "<strong>b</strong> <em>i</em> <code>c</code>" in html("**b** *i* `c`")


def test_links_are_marked_as_user_content_and_unsafe_schemes_dropped():
    link = html("[site](https://example.org) and https://example.net")
    assert link.count('rel="nofollow ugc noopener"') == 2
    assert "javascript" not in html("[x](javascript:alert(1))")


def test_raw_html_is_dropped_and_text_is_escaped_once():
    cooked, text = markdown.cook("Tom & Jerry <b>build</b> <script>x()</script> wells.")
    assert "<b>" not in cooked and "<script" not in cooked  # the tags go, their text stays
    assert "Tom &amp; Jerry build x() wells." in cooked
    assert text == "Tom & Jerry build x() wells."


def test_mentions_become_links_outside_code_and_links():
    people = {"helper": "/people/2"}
    cooked = html("Hi @helper, `@helper` [@helper](https://e.org) @nobody\n\n    @helper",
                  people)
    assert cooked.count('href="/people/2"') == 1
    assert "@nobody" in cooked and "<code>@helper</code>" in cooked


def test_deep_nesting_is_flattened_and_nothing_is_lost():
    cooked, text = markdown.cook("> " * 1000 + "deep words")
    assert cooked.count("<blockquote>") == markdown.MAX_DEPTH
    assert cooked.count("<blockquote>") == cooked.count("</blockquote>")
    assert text == "deep words"


def test_shorten_cuts_at_a_word():
    assert markdown.shorten("one two three", 9) == "one two…"
    assert markdown.shorten("one two", 50) == "one two"


# -- cooking when text is written ----------------------------------------------------------

FIELDS = {"title": "Community flood wardens", "summary": "Volunteers *watch* the river.",
          "kind": "case_study", "countries": ["KE"], "targets": ["11.5"],
          "context": "The river floods **twice** a year."}


def test_practices_are_cooked_when_created_and_edited(app, make):
    author = make.member()
    practice = practices.create(author, author.memberships[0].organisation_id, FIELDS)
    assert practice.html("context") == "<p>The river floods <strong>twice</strong> a year.</p>\n"
    assert practice.text("summary") == "Volunteers watch the river."
    practices.update(author, practice, {**FIELDS, "lessons": "Start *small*."})
    db.session.expire_all()
    practice = db.session.get(Practice, practice.id)
    assert practice.html("lessons") == "<p>Start <em>small</em>.</p>\n"


def test_posts_are_cooked_with_their_mentions_when_written_and_edited(app, make):
    asker = make.user(handle="asker")
    helper = make.user(handle="helper")
    topic = discussions.start_topic(asker, category="questions", title="Wardens, anyone?",
                                    body="Who has **done** this?")
    post = topic_post(topic)
    assert "<strong>done</strong>" in post.html("body")
    discussions.edit(asker, post, "Asking @helper too")
    db.session.expire_all()
    assert f'href="/people/{helper.id}"' in db.session.get(Post, post.id).html("body")


def topic_post(topic):
    return db.session.scalars(db.select(Post).where(Post.thread_id == topic.id)).one()


def test_organisations_and_profiles_are_cooked_when_saved(app, make):
    admin = make.user()
    organisation = organisations.create(admin, name="Maji Institute", type="NRI",
                                        country="KE", description="We *measure* water.")
    assert organisation.html("description") == "<p>We <em>measure</em> water.</p>\n"
    accounts.update_profile(admin, name=admin.name, bio="I map **wells**.")
    assert admin.html("bio") == "<p>I map <strong>wells</strong>.</p>\n"


def test_the_pages_show_the_stored_html(client, make):
    practice = make.practice(context="Some *context*.")
    practice.cooked = {**practice.cooked, "context": {"html": "<p>stored</p>", "text": "x"}}
    db.session.commit()
    page = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "<p>stored</p>" in page and "<em>context</em>" not in page


# -- cooking what was written before -------------------------------------------------------

@pytest.fixture
def uncooked(app, make):
    """Content written before cooking existed: sources without cooked text."""
    asker = make.user(handle="asker", bio="I *ask*.")
    helper = make.user(handle="helper")
    topic = discussions.start_topic(asker, category="questions", title="Wardens, anyone?",
                                    body="Any ideas, @helper?")
    practice = make.practice(context="Some *context*.")
    for model in (Practice, Post, Organisation, User):
        db.session.execute(update(model).values(cooked=None))
    db.session.commit()
    db.session.expire_all()
    return {"helper": helper, "topic": topic, "practice": practice, "asker": asker}


def test_content_cook_cooks_what_was_never_cooked_once(runner, uncooked):
    practice = db.session.get(Practice, uncooked["practice"].id)
    assert practice.cooked is None
    assert practice.html("context") == "<p>Some *context*.</p>"  # escaped, never raw

    result = runner.invoke(args=["content", "cook"])
    assert result.exit_code == 0, result.output
    assert "Cooked 5 records." in result.output  # a practice, a post, an organisation, 2 people
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).html("context") == (
        "<p>Some <em>context</em>.</p>\n")
    post = topic_post(uncooked["topic"])
    assert f'href="/people/{uncooked["helper"].id}"' in post.html("body")
    assert db.session.get(User, uncooked["asker"].id).text("bio") == "I ask."

    again = runner.invoke(args=["content", "cook"])
    assert "Cooked 0 records." in again.output
    everything = runner.invoke(args=["content", "cook", "--all"])
    assert "Cooked 5 records." in everything.output


def test_mentions_are_cooked_outside_any_request(config, tmp_path):
    """Commands (demo, import, `content cook`) cook posts with no request to build URLs from."""
    from nanum import create_app

    settings = {key: value for key, value in config.items() if key != "SERVER_NAME"}
    app = create_app(settings, instance_path=tmp_path / "commands")
    with app.app_context():
        db.create_all()
        asker = accounts.create_account(name="Ama Asker", email="asker@example.org",
                                        password="a long enough passphrase")
        helper = accounts.create_account(name="Hal Helper", email="helper@example.org",
                                         password="a long enough passphrase")
        topic = discussions.start_topic(asker, category="questions", title="Wardens, anyone?",
                                        body=f"Any ideas, @{helper.handle}?")
        assert f'href="/people/{helper.id}"' in topic_post(topic).html("body")
        db.session.remove()


# -- cooking never holds SQLite's write lock -----------------------------------------------

def _write_lock_is_free(config):
    """Try to take SQLite's write lock from another connection, without waiting."""
    import sqlite3

    database = config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.fixture
def cooking_watched(config, monkeypatch):
    """Record, at each cooking, whether another process could write meanwhile."""
    seen = []
    real = markdown.cook

    def cook(source, mentions=None):
        seen.append(_write_lock_is_free(config))
        return real(source, mentions)

    monkeypatch.setattr(markdown, "cook", cook)
    return seen


@sqlite_only
def test_a_reply_is_cooked_while_others_can_write(client, post, make, auth, cooking_watched):
    member = make.member(email="member@example.org")
    topic = discussions.start_topic(member, category="questions", title="Wardens, anyone?",
                                    body="Where do we start?")
    auth.login("member@example.org")
    cooking_watched.clear()
    response = post(f"/discussions/t/{topic.id}/reply", {"body": "Start *small*."})
    assert response.status_code == 302
    assert cooking_watched and all(cooking_watched), cooking_watched
    reply = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert reply.html("body") == "<p>Start <em>small</em>.</p>\n"


@sqlite_only
def test_a_practice_is_cooked_while_others_can_write(client, post, make, auth,
                                                     cooking_watched):
    member = make.member(email="member@example.org")
    auth.login("member@example.org")
    organisation = member.memberships[0].organisation
    response = post("/practices/new", {
        "title": "Community flood wardens", "summary": "Volunteers watch the river.",
        "kind": "case_study", "language": "en", "countries": ["KE"], "targets": ["11.5"],
        "context": "The river floods **twice** a year.", "organisation": organisation.id,
        "action": "submit"})
    assert response.status_code == 302
    assert cooking_watched and all(cooking_watched), cooking_watched
    practice = db.session.scalar(select(Practice))
    assert "<strong>twice</strong>" in practice.html("context")
