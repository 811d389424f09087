"""SDG goal and target suggestions from a text, offline (see model.py)."""

__all__ = ["suggest", "suggest_many"]


def __getattr__(name):
    # The model (numpy, the embedder, the Aurora queries) loads when first asked for, not
    # whenever a module of this package is imported.
    if name in __all__:
        from nanum.sdg import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
