"""Illustrative needs and offers for the demo, posted once and matched."""

from datetime import timedelta

from sqlalchemy import select

from nanum.board import matching, rules, services
from nanum.board.models import BoardPost
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.timeutil import utcnow


def load(lines):
    """Post the demo's needs and offers that are not there yet (quietly: no one is told of
    their matches); return how many were posted."""
    today = services.today()
    posted = []
    for _number, record in lines:
        organisation = db.session.scalar(select(Organisation).where(
            Organisation.name == record["organisation"]))
        exists = db.session.scalar(select(BoardPost.id).where(
            BoardPost.title == record["title"]))
        if organisation is None or exists is not None:
            continue
        fields = {**record, "end_date": (today + timedelta(days=record["days"])).isoformat()}
        values = rules.clean(fields, today=today)
        post = BoardPost(organisation_id=organisation.id, status="published",
                         published_at=utcnow())
        services.apply(post, values)
        db.session.add(post)
        posted.append(post)
    db.session.flush()
    for post in posted:
        for match in matching.recompute(post, today):
            match.told_at = match.told_at or utcnow()
    db.session.commit()
    return len(posted)
