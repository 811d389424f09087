"""Template filters and globals shared by every page."""

from flask_login import current_user

from nanum import i18n, markdown, pagination
from nanum.organisations import place_names, regions
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import vocab
from nanum.taxonomy import sdg


def _sdg_title(goal):
    """A goal's short name in the language of the page."""
    return goal.title_in(i18n.current_language())


def _sdg_text(target):
    """A target's text in the language of the page."""
    return target.text_in(i18n.current_language())


def init_app(app):
    # Only for previews of text not saved yet: saved text is shown as cooked when written.
    app.jinja_env.filters["markdown_preview"] = markdown.render
    # Dates and numbers as the page's language writes them (Babel).
    app.jinja_env.filters["date"] = i18n.format_date
    app.jinja_env.filters["number"] = i18n.format_number
    app.jinja_env.filters["sdg_title"] = _sdg_title
    app.jinja_env.filters["sdg_text"] = _sdg_text
    app.jinja_env.filters["country"] = place_names.shown_country
    app.jinja_env.filters["region"] = place_names.shown_region
    app.jinja_env.globals.update(
        GOALS=sdg.GOALS,
        TARGETS=sdg.TARGETS,
        THEMES=vocab.THEMES,
        THEME_SHORT=vocab.THEME_SHORT,
        KINDS=vocab.KINDS,
        ORG_TYPES=ORG_TYPES,
        CONTEXT_FIELDS=vocab.CONTEXT_FIELDS,
        SECTIONS=vocab.SECTIONS,
        ADAPTATION_SECTIONS=vocab.ADAPTATION_SECTIONS,
        STATUSES=vocab.STATUSES,
        EVIDENCE_LEVELS=vocab.EVIDENCE_LEVELS,
        GOVERNMENT_LEVELS=vocab.GOVERNMENT_LEVELS,
        COUNTRY_CHOICES=regions.COUNTRY_CHOICES,
        REGION_CHOICES=[(name, name) for name in regions.SUBREGIONS],
        country_choices=place_names.country_choices,
        region_choices=place_names.region_choices,
        page_numbers=pagination.numbers,
    )

    @app.context_processor
    def inject_user():
        return {"current_user": current_user}
