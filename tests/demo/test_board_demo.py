from sqlalchemy import func, select

from nanum.board import matching, services
from nanum.board.models import BoardMatch, BoardPost
from nanum.demo import loader
from nanum.extensions import db


def test_demo_board_posts_match_and_say_they_are_illustrative(app, client):
    loader.load()
    loader.load()
    posts = db.session.scalars(select(BoardPost).order_by(BoardPost.id)).all()
    assert len(posts) == 6 and {post.kind for post in posts} == {"need", "offer"}
    assert all(post.status == "published" for post in posts)
    needs = [post for post in posts if post.kind == "need"]
    for need in needs:
        assert any(match.is_good for match, _offer in
                   matching.matches_of(need, today=services.today())), need.title
    assert db.session.scalar(select(func.count(BoardMatch.id))) >= len(needs)
    page = client.get(f"/board/{needs[0].id}").get_data(as_text=True)
    assert "Illustrative demo post" in page and "Good matches" in page
    assert "both on 11.5" in page
