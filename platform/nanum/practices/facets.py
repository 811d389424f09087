"""The filter panel that the browse and search pages share, as plain data for its macros.

Each page gives the active filters, which of them it honours, how to build its own links, and
(search) the facet counts of its results. Without counts (browse) every value of a vocabulary
is offered; with counts only the values that would find something, each with its count.
"""

import functools
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from flask import current_app, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import iter_multi_items

from nanum import i18n
from nanum.i18n import language_name
from nanum.organisations import place_names, regions
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import vocab
from nanum.taxonomy import sdg

CONTENTS = {"practice": _l("Practices"), "post": _l("Discussion posts"),
            "organisation": _l("Organisations"), "event": _l("Events")}
COUNTRIES_LISTED = 12  # the most frequent countries as links; the others in a select
VERIFIED = {"yes": _l("Verified organisations only")}


@dataclass
class Option:
    value: str
    label: str  # a goal's short name, the value's words for the others
    count: int | None  # None where the page shows no counts
    selected: bool
    href: str  # chooses the option, or removes it when it is selected
    title: str | None = None
    depth: int = 0  # how deep a region sits in its region


@dataclass
class Group:
    key: str
    title: str
    options: list
    style: str = "list"  # list | goals | badges | years
    note: str | None = None  # what the selected value means, e.g. a goal's title
    choices: list = field(default_factory=list)  # (value, label) for a select of the rest
    hidden: dict = field(default_factory=dict)  # the other filters, kept by that select


@dataclass
class Chip:
    label: str
    href: str  # removes the filter


@dataclass
class Panel:
    groups: list
    context: list  # the local context groups, folded under their own heading
    chips: list
    action: str  # the page's address, for the select's form
    clear: str  # the page without any filter
    count_words: dict = field(default_factory=dict)  # count -> "result" or "results"

    @property
    def context_active(self):
        return sum(option.selected for group in self.context for option in group.options)


class _Page:
    """The page the panel belongs to: its endpoint, arguments and active filters."""

    def __init__(self, endpoint, args, active):
        self.endpoint, self.args, self.active = endpoint, args, active
        self.address = _plain_address(endpoint)

    def href(self, **changes):
        values = self.args(**changes)
        if self.address is None:
            return url_for(self.endpoint, **values)
        query = _query_string(values)
        return f"{self.address}?{query}" if query else self.address

    def is_selected(self, key, value):
        return key in self.active and str(self.active[key]) == str(value)

    def option(self, key, value, label, count=None, **extra):
        selected = self.is_selected(key, value)
        return Option(value=str(value), label=label, count=count, selected=selected,
                      href=self.href(**{key: None if selected else value}), **extra)


def _plain_address(endpoint):
    """Return the address of an endpoint whose rule takes no arguments, to which a panel's
    hundred links only add a query string (the same as `url_for` writes); else None."""
    rules = list(current_app.url_map.iter_rules(endpoint))
    if len(rules) != 1 or rules[0].arguments or rules[0].defaults:
        return None
    return url_for(endpoint)


def _query_string(values):
    """Encode query arguments as Werkzeug's routing does (None left out)."""
    return "&".join(f"{_quoted(str(key))}={_quoted(str(value))}"
                    for key, value in iter_multi_items(values) if value is not None)


@functools.lru_cache(maxsize=1024)
def _quoted(text):
    """Quote a key or value as `urlencode` does: a panel's hundred links repeat the same
    few (the words searched for in each), so each is quoted once."""
    return quote_plus(text, safe="!$'()*,/:;?@")


def panel(filters, endpoint, args, ignored=(), counts=None, countries=(), names=None,
          languages=(), only=None):
    """Return the filter panel of a page.

    `args(**changes)` gives the page's query arguments with some changed (None removes one);
    `ignored` are the filters the page does not honour; `counts` maps each facet to
    [(value, count)]; `countries` and `languages` are (code, name) to offer without
    counts; `names` labels values such as an organisation's id; `only` keeps just those
    groups (and no local context), for a list of something other than practices.
    """
    active = {key: value for key, value in filters.active.items() if key not in ignored}
    page = _Page(endpoint, args, active)
    counted = None if counts is None else {name: dict(values) for name, values in counts.items()}
    groups = [
        _content(page, counted) if "content" not in ignored else None,
        _goals(page, filters, counted),
        _targets(page, filters, counted),
        _countries(page, counted, countries),
        _regions(page, counted, countries),
        _listed(page, counted, "org_type", _("Organisation type"), ORG_TYPES),
        _listed(page, counted, "verified", _("Verification"), VERIFIED),
        _listed(page, counted, "theme", _("Theme"), vocab.THEME_SHORT),
        _listed(page, counted, "kind", _("Kind"), vocab.KINDS),
        _languages(page, counted, languages),
        _years(page, counted) if "year" not in ignored else None,
    ]
    context = [_listed(page, counted, key, label, choices)
               for key, (label, choices) in vocab.CONTEXT_FIELDS.items()]
    if only is not None:
        groups = [group for group in groups if group and group.key in only]
        context = []
    chosen, clear = chips(filters, endpoint, args, ignored, names)
    groups = [group for group in groups if group and (group.options or group.choices)]
    context = [group for group in context if group.options]
    return Panel(groups=groups, context=context, chips=chosen, action=url_for(endpoint),
                 clear=clear, count_words=_count_words(groups + context))


def _count_words(groups):
    """Return the word shown after each count of the panel ("3 results"), looked up once
    per distinct count rather than once per option."""
    counts = {option.count for group in groups for option in group.options
              if option.count is not None}
    translations = get_translations()  # once: each `ngettext` would look the catalogue up
    return {count: translations.ungettext("result", "results", count) for count in counts}


def chips(filters, endpoint, args, ignored=(), names=None):
    """Return the chips of the active filters and the address of the page without them."""
    page = _Page(endpoint, args, {key: value for key, value in filters.active.items()
                                  if key not in ignored})
    found = [Chip(label=label_of(key, value, names), href=page.href(**{key: None}))
             for key, value in page.active.items()]
    clear = url_for(endpoint, **{key: value for key, value in args().items()
                                 if key not in filters.active})
    return found, clear


def label_of(key, value, names=None):
    """Return the words for an active filter, as its chip shows them."""
    if names and key in names:
        return names[key]
    if key == "goal":
        goal = sdg.GOALS.get(int(value))
        if goal is None:
            return _("SDG %(number)s", number=value)
        return _("SDG %(number)s: %(title)s", number=value,
                 title=goal.title_in(i18n.current_language()))
    if key == "target":
        return _("Target %(key)s", key=value)
    if key == "country":
        return place_names.shown_country(value)
    if key == "region":
        return place_names.shown_region(value)
    if key == "year":
        return _("Year %(year)s", year=value)
    if key == "content":
        return _("%(content)s only", content=CONTENTS.get(value, value))
    if key == "language":
        return language_name(value)
    if key in vocab.CONTEXT_FIELDS:
        label, choices = vocab.CONTEXT_FIELDS[key]
        return _("%(label)s: %(value)s", label=label, value=choices.get(value, value))
    labels = {"org_type": ORG_TYPES, "verified": VERIFIED, "theme": vocab.THEME_SHORT,
              "kind": vocab.KINDS}.get(key, {})
    return labels.get(value, str(value))


def _values(counted, key, known):
    """Return (value, count) for a facet: the known values in order, then any others."""
    if counted is None:
        return [(value, None) for value in known]
    found = counted.get(key, {})
    ordered = [str(value) for value in known if str(value) in found]
    ordered += sorted(set(found) - set(ordered))
    return [(value, found[value]) for value in ordered]


def _listed(page, counted, key, title, labels):
    options = [page.option(key, value, labels.get(value, value), count)
               for value, count in _values(counted, key, labels)]
    return Group(key=key, title=title, options=options)


def _languages(page, counted, languages):
    """The languages practices are written in, named in the page's language: those counted
    (search), else those given (browse)."""
    known = dict(languages)
    if counted is not None:
        known = {code: language_name(code) for code in counted.get("language", {})}
    return _listed(page, counted, "language", _("Language"),
                   dict(sorted(known.items(), key=lambda pair: pair[1].casefold())))


def _content(page, counted):
    if counted is None:
        return None
    return _listed(page, counted, "content", _("Content type"), CONTENTS)


def _goals(page, filters, counted):
    lang = i18n.current_language()
    named = get_translations().ugettext("Goal %(number)s: %(title)s")  # once, for 17 goals
    options = []
    for value, count in _values(counted, "goal", sdg.GOALS):
        goal = sdg.GOALS.get(int(value)) if str(value).isdigit() else None
        if goal:
            title = goal.title_in(lang)
            options.append(page.option("goal", goal.number, title, count,
                                       title=named % {"number": goal.number, "title": title}))
    goal = sdg.GOALS.get(filters.goal) if page.active.get("goal") else None
    note = (_("Goal %(number)s: %(title)s", number=goal.number, title=goal.title_in(lang)) if goal
            else None)
    return Group(key="goal", title=_("SDG goal"), options=options, style="goals", note=note)


def _targets(page, filters, counted):
    goal = sdg.GOALS.get(filters.goal) if filters.goal else None
    if goal is None:
        return None
    lang = i18n.current_language()
    options = [page.option("target", value, _("Target %(key)s", key=value), count,
                           title=sdg.TARGETS[value].text_in(lang) if value in sdg.TARGETS
                           else None)
               for value, count in _values(counted, "target", [t.key for t in goal.targets])
               if value.startswith(f"{goal.number}.")]
    target = sdg.TARGETS.get(filters.target) if filters.target else None
    note = f"{target.key}: {target.text_in(lang)}" if target else None
    return Group(key="target", title=_("Target"), options=options, style="badges", note=note)


def _countries(page, counted, countries):
    """The most frequent countries as links and the others in a select (all, on browse)."""
    chosen = page.active.get("country")
    lang = i18n.current_language()  # once, for the hundred names
    if counted is None:
        everything = [(code, name, None) for code, name in countries]
        listed = [row for row in everything if row[0] == chosen]
    else:
        found = counted.get("country", {})
        everything = sorted(((code, place_names.country_name(code, lang) or code, count)
                             for code, count in found.items()), key=lambda row: (-row[2], row[1]))
        listed = everything[:COUNTRIES_LISTED]
        listed += [row for row in everything[COUNTRIES_LISTED:] if row[0] == chosen]
    options = [page.option("country", code, name, count) for code, name, count in listed]
    rest = sorted((row for row in everything if row not in listed), key=lambda row: row[1])
    choices = [] if chosen else [
        (code, name if count is None else f"{name} ({count})") for code, name, count in rest]
    group = Group(key="country", title=_("Country"), options=options, choices=choices,
                  hidden=page.args(country=None))
    return group if options or choices else None


def _regions(page, counted, countries):
    """The regions in use, each followed by the regions it holds (from the M49 tree)."""
    if counted is None:
        found = {name: None for code, _name in countries
                 for name in (regions.region_of(code), regions.intermediate_of(code),
                              regions.subregion_of(code)) if name}
    else:
        found = counted.get("region", {})
    chosen = page.active.get("region")
    if chosen and chosen not in found:
        found = {**found, chosen: None}
    placed = regions.tree(found)
    placed += [(name, 0) for name in sorted(set(found) - {name for name, _ in placed})]
    lang = i18n.current_language()
    options = [page.option("region", name, place_names.region_name(name, lang), found[name],
                           depth=depth)
               for name, depth in placed]
    return Group(key="region", title=_("Region"), options=options)


def _years(page, counted):
    values = _values(counted, "year", [])
    if len(values) < 2 and "year" not in page.active:
        return None
    options = [page.option("year", value, value, count)
               for value, count in sorted(values, key=lambda item: int(item[0]))]
    return Group(key="year", title=_("Year"), options=options, style="years")
