"""The moderators' pages: the overview, the audit log and the dashboard."""

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nanum.extensions import db
from nanum.moderation import reasons
from nanum.moderation.access import moderator_required
from nanum.moderation.models import AuditRecord

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.get("/")
@moderator_required
def home():
    latest = db.session.scalars(select(AuditRecord).options(joinedload(AuditRecord.actor))
                                .order_by(AuditRecord.id.desc()).limit(10)).all()
    return render_template("moderation/home.html", latest=latest, reason_label=reasons.label)
