"""The engines behind the search seam, chosen by the `SEARCH_ENGINE` setting."""

ENGINES = ("whoosh", "memory", "postgres")


def check(config):
    """Raise ValueError when the configuration names an engine there is not."""
    name = config.get("SEARCH_ENGINE", "whoosh")
    if name not in ENGINES:
        raise ValueError(f"SEARCH_ENGINE must be one of {', '.join(ENGINES)}, not {name!r}")


def needed_from_start(config):
    """Tell whether the engine must exist before the first commit: PostgreSQL's writes
    inside each transaction. The others open their index (and load Whoosh and numpy) when
    first used, so that a command that never touches the index does not pay for them."""
    return config.get("SEARCH_ENGINE", "whoosh") == "postgres"


def create(config):
    """Return the engine the configuration names."""
    from nanum.search.ranking import Ranking

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
