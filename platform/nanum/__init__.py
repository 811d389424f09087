"""Nanum: a knowledge exchange for localising the Sustainable Development Goals."""

import os
from pathlib import Path

from flask import Flask

from nanum import config as settings

ROOT = settings.ROOT


def create_app(config=None, *, instance_path=None):
    """Create and configure the Nanum application."""
    instance_path = Path(instance_path or os.environ.get("NANUM_INSTANCE_PATH")
                         or ROOT / "instance").resolve()
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(settings.DEFAULTS)
    app.config.from_mapping(settings.from_environment())
    app.config.from_mapping(config or {})
    settings.finalise(app.config, instance_path)

    register_operations(app)
    register_request_parsing(app)
    register_extensions(app)
    register_i18n(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_operations(app):
    """Request ids, the request log and the probes: first, so that they see every request."""
    from nanum import ops

    ops.init_app(app)


def register_request_parsing(app):
    """Bound `<int:...>` ids and clean query strings and forms (before any route exists)."""
    from nanum import inputs

    inputs.init_app(app)


def register_extensions(app):
    from nanum import migrations
    from nanum.extensions import csrf, db, limiter, login_manager

    db.init_app(app)
    migrations.init_app(app, db)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    from nanum import ratelimits  # noqa: F401  (registers the nanum+database:// storage)

    limiter.init_app(app)

    from nanum import assets, database, pagecache, security
    from nanum.notifications import services as notifications
    from nanum.search import service as search

    database.init_app(app)
    # Before the others: pages are kept as they leave, compressed and with every header.
    pagecache.init_app(app)
    assets.init_app(app)
    security.init_app(app)
    search.init_app(app)
    notifications.init_app(app)


def register_i18n(app):
    """The interface's language per request, its chooser, and formats per locale."""
    from nanum import i18n

    i18n.init_app(app)


def register_blueprints(app):
    from nanum.accounts.views import bp as accounts
    from nanum.board.views import bp as board
    from nanum.briefs.views import bp as briefs
    from nanum.curation.views import bp as curation
    from nanum.discussions.views import bp as discussions
    from nanum.events.views import bp as events
    from nanum.feeds.views import bp as feeds
    from nanum.flags.views import bp as flags
    from nanum.main.views import bp as main
    from nanum.moderation.views import bp as moderation
    from nanum.network.views import bp as network
    from nanum.notifications.views import bp as notifications
    from nanum.ops.views import bp as ops
    from nanum.organisations.moderation_views import bp as organisation_moderation
    from nanum.organisations.views import bp as organisations
    from nanum.places.views import bp as places
    from nanum.practices.views import bp as practices
    from nanum.review.views import bp as review
    from nanum.sdg.views import bp as sdg
    from nanum.search.views import bp as search
    from nanum.taxonomy.views import bp as taxonomy

    for blueprint in (main, accounts, organisations, practices, taxonomy, search, feeds,
                      discussions, notifications, moderation, review, flags, curation,
                      organisation_moderation, briefs, sdg, places, board, events, ops,
                      network):
        app.register_blueprint(blueprint)

    from nanum import api

    api.init_app(app)


def register_errorhandlers(app):
    from nanum import errors

    errors.init_app(app)


def register_template_helpers(app):
    from nanum import templating

    templating.init_app(app)


def register_commands(app):
    from nanum import cli

    cli.init_app(app)
