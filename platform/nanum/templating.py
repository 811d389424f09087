"""Template filters and globals shared by every page."""

from flask import current_app, has_request_context, request, url_for
from flask_login import current_user
from jinja2 import meta
from markupsafe import Markup

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
        kept_markup=kept_markup,
        kept_markups=kept_markups,
        url_for_each=url_for_each,
    )

    @app.context_processor
    def inject_user():
        return {"current_user": current_user}


KEPT_LIMIT = 4096  # pieces kept by `kept_markup`, per app


def kept_markup(macro, name, *args):
    """Return a macro's output for these arguments, rendered once per language and site
    root and then kept: for small pieces that pages repeat and that depend on nothing else
    (an SDG badge's link, title and label)."""
    return kept_markups(macro, name)(*args)


def kept_markups(macro, name):
    """Return a function giving a macro's output for its arguments as `kept_markup` does,
    the page's language and site root read once: for a piece a page shows many times (a
    badge on each of its results)."""
    kept = current_app.extensions.setdefault("nanum.kept_markup", {})
    where = (i18n.current_language(), request.script_root if has_request_context() else "")

    def markup(*args):
        key = (name, args, *where)
        found = kept.get(key)
        if found is None:
            if len(kept) >= KEPT_LIMIT:
                kept.clear()
            found = kept[key] = Markup(macro(*args))
        return found

    return markup


def url_for_each(endpoint, argument):
    """Return a function writing the address of `endpoint` for an integer value of its one
    argument, as `url_for` writes it, but built once per site root: for the link of each
    of a page's results. Where the address is not the number put in a fixed pattern, the
    function is `url_for` itself."""
    patterns = current_app.extensions.setdefault("nanum.url_patterns", {})
    key = (endpoint, argument, request.script_root if has_request_context() else "")
    if key not in patterns:
        patterns[key] = _url_pattern(endpoint, argument)
    if patterns[key] is None:
        return lambda value: url_for(endpoint, **{argument: value})
    prefix, suffix = patterns[key]
    return lambda value: f"{prefix}{int(value)}{suffix}"


def _url_pattern(endpoint, argument):
    """Return the (prefix, suffix) around the value in the endpoint's addresses, or None."""
    rules = list(current_app.url_map.iter_rules(endpoint))
    if len(rules) != 1 or rules[0].arguments != {argument}:
        return None
    prefix, marker, suffix = url_for(endpoint, **{argument: URL_MARKER}).partition(
        str(URL_MARKER))
    if not marker or url_for(endpoint, **{argument: 7}) != f"{prefix}7{suffix}":
        return None  # a converter that writes numbers its own way (fixed digits)
    return prefix, suffix


URL_MARKER = 918273645  # an argument no address holds otherwise, to split `url_for`'s output


def compile_templates(app, names):
    """Compile the named templates and every template they extend, include or import, so
    that the first request of a page does not wait for it; return how many were compiled."""
    environment = app.jinja_env
    waiting, done = list(names), set()
    while waiting:
        name = waiting.pop()
        if name in done:
            continue
        done.add(name)
        source, _filename, _uptodate = environment.loader.get_source(environment, name)
        waiting += [found for found in meta.find_referenced_templates(environment.parse(source))
                    if found]  # None: a name only known when the page is rendered
        environment.get_template(name)
    return len(done)
