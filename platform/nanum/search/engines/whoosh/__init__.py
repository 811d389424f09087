"""The embedded engine: a Whoosh index in a folder (`SEARCH_ENGINE = "whoosh"`)."""

from nanum.search.engines.whoosh.engine import WhooshEngine

__all__ = ["WhooshEngine"]
