"""The automatic completeness check of a submission against the practice template."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from nanum.practices import vocab

# A section that is nothing but a link (bare, <angle-bracketed> or [Markdown](link)).
ONLY_A_LINK = re.compile(r"\s*(?:<?https?://\S+>?|\[[^\]\n]*\]\([^)\s]*\))\s*", re.IGNORECASE)


@dataclass
class Check:
    label: str
    passed: bool
    detail: str = ""


def _filled(text):
    text = (text or "").strip()
    return bool(text) and ONLY_A_LINK.fullmatch(text) is None


def completeness(practice):
    """Return the checks of one practice (its tags, attachments and sections loaded)."""
    empty = [label for field, label in vocab.SECTIONS.items()
             if not _filled(getattr(practice, field))]
    missing_context = [label for field, (label, _choices) in vocab.CONTEXT_FIELDS.items()
                       if not getattr(practice, field)]
    resources = any(getattr(practice, field) is not None
                    for field in ("budget_amount", "staff_fte", "duration_months"))
    return [
        Check(_("Every section filled, not only with a link"), not empty,
              _("Missing: %(fields)s", fields=", ".join(map(str, empty))) if empty else ""),
        Check(_("At least one SDG target"), bool(practice.targets)),
        Check(_("Results with an evidence level"),
              _filled(practice.results) and bool(practice.evidence_level)),
        Check(_("A context profile"), not missing_context,
              _("Missing: %(fields)s", fields=", ".join(map(str, missing_context)))
              if missing_context else ""),
        Check(_("Resources (budget, staff or duration) or attachments"),
              resources or bool(practice.attachments)),
    ]


def passed(checks):
    return sum(1 for check in checks if check.passed)
