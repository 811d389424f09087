"""SDG goal and target suggestions from a text, offline (see model.py)."""

from nanum.sdg.model import suggest, suggest_many

__all__ = ["suggest", "suggest_many"]
