"""The engines behind the search seam, chosen by the `SEARCH_ENGINE` setting."""

from nanum.search.ranking import Ranking

ENGINES = ("whoosh", "memory", "postgres")


def create(config):
    """Return the engine the configuration names."""
    name = config.get("SEARCH_ENGINE", "whoosh")
    ranking = Ranking.from_config(config)
    if name == "whoosh":
        from nanum.search.engines.whoosh import WhooshEngine
        return WhooshEngine(config["SEARCH_INDEX_DIR"], config["SEARCH_WRITER_TIMEOUT"],
                            ranking=ranking)
    if name == "memory":
        from nanum.search.engines.memory import MemoryEngine
        return MemoryEngine(ranking=ranking)
    if name == "postgres":
        if not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
            raise ValueError("SEARCH_ENGINE 'postgres' needs the database on PostgreSQL "
                             "(SQLALCHEMY_DATABASE_URI postgresql+psycopg://...)")
        from nanum.search.engines.postgres import PostgresEngine, transaction
        transaction.listen()
        return PostgresEngine(ranking=ranking,
                              candidates=int(config.get("SEARCH_POSTGRES_CANDIDATES", 500)))
    raise ValueError(f"SEARCH_ENGINE must be one of {', '.join(ENGINES)}, not {name!r}")
