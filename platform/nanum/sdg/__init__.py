"""SDG goal and target suggestions from a text, offline (see model.py)."""

from nanum.sdg.model import suggest

__all__ = ["suggest"]
