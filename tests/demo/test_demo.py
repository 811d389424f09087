import json

from sqlalchemy import distinct, func, select

from nanum.accounts.services import authenticate
from nanum.demo import loader
from nanum.extensions import db
from nanum.organisations import regions
from nanum.organisations.models import Organisation
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices.models import Practice, PracticeCountry, PracticeGoal, PracticeTheme
from nanum.practices.vocab import THEMES


def test_demo_covers_the_brief(app):
    result = loader.load()
    assert result.practices >= 40 and result.organisations >= 15
    assert db.session.scalar(select(func.count(Practice.id)).where(
        Practice.status == "published")) == result.total - result.waiting
    countries = set(db.session.scalars(select(distinct(PracticeCountry.country))))
    assert len(countries) >= 12
    subregions = {regions.subregion_of(c) for c in countries}
    intermediates = {regions.intermediate_of(c) for c in countries}
    assert "Eastern Africa" in subregions and "South-eastern Asia" in subregions
    assert "Latin America and the Caribbean" in intermediates
    assert set(db.session.scalars(select(distinct(PracticeGoal.goal)))) == set(range(1, 18))
    assert set(db.session.scalars(select(distinct(PracticeTheme.theme)))) == set(THEMES)
    assert set(db.session.scalars(select(distinct(Organisation.type)))) == set(ORG_TYPES)


def test_demo_load_is_idempotent_and_accounts_work(app):
    first = loader.load()
    second = loader.load()
    assert second.practices == 0 and second.total == first.total
    saved = json.loads(loader.accounts_file().read_text())
    assert len(saved) == 4
    for email, password in saved.items():
        assert authenticate(email, password) is not None
    assert [row[2] for row in second.accounts] == [saved[row[1]] for row in second.accounts]


def test_demo_pages_say_they_are_illustrative(app, client):
    loader.load()
    practice_id = db.session.scalar(select(Practice.id).limit(1))
    for url in ("/", f"/practices/{practice_id}", "/organisations/"):
        assert "illustrative" in client.get(url).get_data(as_text=True)


def test_demo_starts_illustrative_conversations_once(app, client):
    from nanum.discussions.models import Post, Thread

    loader.load()
    loader.load()
    assert db.session.scalar(select(func.count(Thread.id))) == 3
    assert db.session.scalar(select(func.count(Post.id))) == 5
    page = client.get("/discussions/").get_data(as_text=True)
    assert "How did you keep ward assemblies going" in page


def test_demo_shows_a_few_submissions_waiting_for_review(app, client, auth):
    from nanum.demo.loader import accounts_file

    result = loader.load()
    assert result.waiting == 3 and loader.load().waiting == 3
    moderator = "moderator@demo.nanum.example"
    auth.login(moderator, json.loads(accounts_file().read_text())[moderator])
    page = client.get("/moderation/review/").get_data(as_text=True)
    assert "Market levy receipts sent by SMS" in page and "Resubmission 2" in page
    assert "Solar street lights for the night market" in page and "illustrative" in page


def test_demo_home_page_shows_what_moderators_curated_once(app, client):
    from nanum.curation.models import Collection, CollectionItem, FeaturedPractice

    loader.load()
    loader.load()
    assert db.session.scalar(select(func.count(FeaturedPractice.id))) == len(loader.FEATURED)
    collection = db.session.scalar(select(Collection))
    assert collection.published and db.session.scalar(select(func.count(
        CollectionItem.id)).where(CollectionItem.collection_id == collection.id)) == len(
        loader.COLLECTION[2])
    page = client.get("/").get_data(as_text=True)
    assert "Featured practices" in page and loader.COLLECTION[0] in page
    assert loader.CALL["title"] in page


def test_demo_shows_how_a_practice_travelled(app, client):
    loader.load()
    loader.load()
    original = db.session.scalar(select(Practice).where(
        Practice.title.startswith("Community-based early warning for typhoon")))
    page = client.get(f"/practices/{original.id}").get_data(as_text=True)
    assert "Adapted by 2 organisations in 2 countries." in page
    lineage = client.get(f"/practices/{original.id}/lineage").get_data(as_text=True)
    assert "Hurricane surge flags for Port Carlisle" in lineage
