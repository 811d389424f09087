"""The PostgreSQL search engine: search tables in the application's own database."""

from nanum.search.engines.postgres.engine import PostgresEngine

__all__ = ["PostgresEngine"]
