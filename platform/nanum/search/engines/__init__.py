"""The engines behind the search seam, chosen by the `SEARCH_ENGINE` setting."""

from nanum.search.ranking import Ranking

ENGINES = ("whoosh", "memory")


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
    raise ValueError(f"SEARCH_ENGINE must be one of {', '.join(ENGINES)}, not {name!r}")
