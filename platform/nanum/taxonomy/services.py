"""Counts of published practices per SDG goal and target."""

from sqlalchemy import func, select

from nanum.extensions import db
from nanum.practices.models import Practice, PracticeGoal, PracticeTarget


def goal_counts():
    """Return {goal number: published practices tagged with it}."""
    rows = db.session.execute(
        select(PracticeGoal.goal, func.count())
        .join(Practice, Practice.id == PracticeGoal.practice_id)
        .where(Practice.status == "published").group_by(PracticeGoal.goal))
    return dict(rows.all())


def target_counts(goal):
    """Return {target key: published practices tagged with it} within one goal."""
    rows = db.session.execute(
        select(PracticeTarget.target, func.count())
        .join(Practice, Practice.id == PracticeTarget.practice_id)
        .where(Practice.status == "published", PracticeTarget.target.like(f"{goal}.%"))
        .group_by(PracticeTarget.target))
    return dict(rows.all())
