"""A gap in the coverage: an SDG goal or target that no published practice serves in a place.

The coverage page links each empty cell here. The page says what is missing, where the same
target has practices elsewhere, which open calls for contributions ask for it, and invites a
practice with the target and country already chosen in the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from nanum.curation import calls
from nanum.errors import Invalid
from nanum.extensions import db
from nanum.organisations import regions
from nanum.practices import browse
from nanum.taxonomy import coverage, sdg


@dataclass
class Gap:
    key: str  # a goal ("6") or a target ("6.1")
    region: str | None
    country: str | None
    filters: coverage.Filters
    published: int  # practices there now: a practice may have been published since
    elsewhere: list[tuple[str, int]]  # (region, practices) of the same key, most first
    calls: list

    @property
    def target(self):
        return sdg.target(self.key)

    @property
    def goal(self):
        return sdg.goal(sdg.goal_of(self.key))

    @property
    def place(self):
        if self.country:
            return regions.country_name(self.country) or self.country
        return self.region

    def _sdg_arg(self):
        return {"target": self.key} if self.target else {"goal": self.key}

    def _place_args(self):
        if self.country:
            return {"country": self.country}
        return {"region": self.region} if self.region else {}

    def browse_args(self, region=None):
        """Return the browse page's arguments for the practices of this cell (or of the same
        goal or target in another region)."""
        place = {"region": region} if region else self._place_args()
        return {**self._sdg_arg(), **place, **self.filters.browse_args()}

    def map_args(self):
        """Return the coverage page's arguments that show this cell's goal and place."""
        region = regions.region_of(self.country) if self.country else self.region
        return self.filters.args(region=region, goal=self.goal.number)

    def call_args(self):
        """Return the fields of a call for contributions that would fill this gap."""
        title = (_("Practices on SDG %(key)s in %(place)s", key=self.key, place=self.place)
                 if self.place else _("Practices on SDG %(key)s", key=self.key))
        fields = {"title": title, "sdgs": self.key}
        if self.country:
            fields["countries"] = self.country
        elif self.region:  # a call names sub-regions: those of the region
            fields["regions"] = sorted({regions.subregion_of(code)
                                        for code in regions.countries_in(self.region)} - {None})
        return fields

    def form_args(self):
        """Return the practice form's arguments: the goal or target, and the place."""
        return {**self._sdg_arg(), **self._place_args()}


def read(args):
    """Return the gap the request's arguments name; Invalid when they name no goal or target."""
    key = sdg.normalise_key(args.get("target", "") or args.get("goal", ""))
    if key is None:
        raise Invalid(_("Say which SDG goal or target is missing, such as ?target=6.1."))
    filters = coverage.Filters.from_args(args)
    country = args.get("country", "").strip().upper()
    country = country if regions.is_country(country) else None
    region = None if country else filters.region
    published = _published(key, region, country, filters.browse_args())
    row = _row(key, coverage.Filters(goal=sdg.goal_of(key), theme=filters.theme,
                                     org_type=filters.org_type))
    by_region = zip(coverage.REGIONS, row.counts, strict=True)
    elsewhere = sorted(((name, count) for name, count in by_region if count and name != region),
                       key=lambda pair: (-pair[1], pair[0]))
    return Gap(key=key, region=region, country=country, filters=filters, published=published,
               elsewhere=elsewhere, calls=_calls(key, region, country))


def _published(key, region, country, extra):
    """Count the published practices on a goal or target in a place, as the browse page does."""
    filters = browse.Filters.from_args({("target" if "." in key else "goal"): key,
                                        "country": country or "", "region": region or "",
                                        **extra})
    return db.session.scalar(select(func.count()).select_from(
        browse.statement(filters).order_by(None).subquery()))


def _row(key, filters):
    found = coverage.build(filters).blocks[0]
    return next((row for row in found.targets if row.key == key), found.row)


def _calls(key, region, country):
    """Return the open calls asking for this goal or target in this place (or anywhere)."""
    goal = str(sdg.goal_of(key))
    codes = {country} if country else regions.countries_in(region) if region else set()
    found = []
    for call in calls.open_calls():
        asked = set(call.sdgs)
        # A call on a goal asks for each of its targets; a call on a target fills its goal.
        fills = bool({key, goal} & asked) or (
            "." not in key and any(sdg.goal_of(other) == int(goal) for other in asked))
        if asked and not fills:
            continue
        places = set(call.countries)
        for name in call.regions:
            places |= regions.countries_in(name)
        if places and codes and not (places & codes):
            continue
        found.append(call)
    return found


def prefill(form, args):
    """Choose the target (or goal) and the country the coverage page sent the writer with.

    Returns the sentence to show above the form, or None when the arguments name no gap.
    """
    key = sdg.normalise_key(args.get("target", "") or args.get("goal", ""))
    if key is None:
        return None
    country = args.get("country", "").strip().upper()
    country = country if regions.is_country(country) else None
    region = args.get("region", "").strip()
    region = region if not country and regions.countries_in(region) else None
    goal = str(sdg.goal_of(key))
    form.goals.data = [goal]
    if "." in key:
        form.targets.data = [key]
    if country:
        form.countries.data = [country]
    what = _("target %(key)s", key=key) if "." in key else _("goal %(key)s", key=key)
    chosen = (_("SDG %(what)s and the country are chosen for you below.", what=what) if country
              else _("SDG %(what)s is chosen for you below.", what=what))
    if _published(key, region, country, {}):
        return chosen
    place = regions.country_name(country) if country else region
    first = (_("No published practice serves SDG %(what)s in %(place)s yet: yours would be the "
               "first.", what=what, place=place) if place else
             _("No published practice serves SDG %(what)s yet: yours would be the first.",
               what=what))
    return f"{first} {chosen}"
