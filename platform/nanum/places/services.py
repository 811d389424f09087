"""Setting a person's or an organisation's place, and finding the place a viewer ranks by."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from nanum.errors import Invalid
from nanum.extensions import db
from nanum.organisations import regions, signals
from nanum.organisations import services as organisations
from nanum.places.models import PlaceProfile
from nanum.places.similarity import CONTEXT_FIELDS, PLACE_FIELDS, Place
from nanum.practices import vocab


def clean(values):
    """Check a place's fields; return them tidied, or raise Invalid naming each problem.

    The region is the country's when a country is given; a region alone is allowed.
    """
    errors, found = {}, {}
    country = str(values.get("country") or "").strip().upper()
    region = str(values.get("region") or "").strip()
    if country and not regions.is_country(country):
        errors["country"] = _("Please choose a country from the list.")
    elif country:
        found["country"] = country
        found["region"] = regions.subregion_of(country)
        if region and region != found["region"]:
            errors["region"] = _("%(country)s lies in %(found)s, not %(region)s: leave the "
                                 "region blank to take the country's.",
                                 country=regions.country_name(country), found=found["region"],
                                 region=region)
    elif region and region not in regions.SUBREGIONS:
        errors["region"] = _("Please choose a region from the list.")
    elif region:
        found["region"] = region
    for name in CONTEXT_FIELDS:
        value = values.get(name) or None
        label, choices = vocab.CONTEXT_FIELDS[name]
        if value and value not in choices:
            errors[name] = _("Please choose a %(lower)s from the list.", lower=label.lower())
        elif value:
            found[name] = value
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    return {name: found.get(name) for name in PLACE_FIELDS}


def profile_of_person(user):
    return db.session.scalar(select(PlaceProfile).where(PlaceProfile.user_id == user.id))


def profile_of_organisation(organisation):
    return db.session.scalar(select(PlaceProfile).where(
        PlaceProfile.organisation_id == organisation.id))


def save_for_person(user, values, uses_organisation=None):
    """Set a person's own place, and whether they rank by an organisation's place instead
    (`uses_organisation`: the id of an organisation they are an active member of)."""
    problems = {}
    try:
        fields = clean(values)
    except Invalid as error:
        problems.update(error.errors)
    if uses_organisation and not organisations.is_member(user, uses_organisation):
        problems["source"] = _("Choose one of your organisations, or your own place.")
    if problems:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), problems)
    profile = profile_of_person(user) or PlaceProfile(user_id=user.id)
    _fill(profile, fields)
    profile.uses_organisation_id = uses_organisation or None
    db.session.add(profile)
    db.session.commit()
    return profile


def save_for_organisation(user, organisation, values):
    """Set an organisation's place (its admins and moderators only)."""
    organisations.require_admin(user, organisation)
    fields = clean(values)
    profile = profile_of_organisation(organisation) or PlaceProfile(
        organisation_id=organisation.id)
    _fill(profile, fields)
    db.session.add(profile)
    db.session.commit()
    return profile


def _fill(profile, fields):
    for name, value in fields.items():
        setattr(profile, name, value)


def organisation_defaults(organisation):
    """Return what an organisation's record already says of its place, to start its form."""
    band = None
    if organisation.population is not None:
        band = population_band(organisation.population)
    return {"country": organisation.country, "government_level": organisation.government_level,
            "population_band": band}


POPULATION_LIMITS = (("lt_10k", 10_000), ("10k_50k", 50_000), ("50k_250k", 250_000),
                     ("250k_1m", 1_000_000))


def population_band(population):
    for band, limit in POPULATION_LIMITS:
        if population < limit:
            return band
    return "gt_1m"


@dataclass
class Ranking:
    """The place a page ranks by, and whose it is, in words ("your place", "Kisumu County")."""

    place: Place
    owner: str
    from_args: bool = False


def ranking_for(user, args):
    """Return the Ranking a page uses: the place in the query string, else the viewer's
    (their organisation's when they chose it), else None."""
    place = Place.from_args(args)
    if place:
        return Ranking(place=place, owner="the place you entered", from_args=True)
    if not getattr(user, "is_authenticated", False):
        return None
    own = profile_of_person(user)
    if own is not None and own.uses_organisation_id and organisations.is_member(
            user, own.uses_organisation_id):
        chosen = profile_of_organisation(own.uses_organisation)
        if chosen is not None and chosen.place:
            return Ranking(place=chosen.place, owner=own.uses_organisation.name)
    if own is not None and own.place:
        return Ranking(place=own.place, owner="your place")
    # Set once by an organisation, its place serves every member who has none of their own.
    for organisation in organisations.organisations_of(user):
        profile = profile_of_organisation(organisation)
        if profile is not None and profile.place:
            return Ranking(place=profile.place, owner=organisation.name)
    return None


def sorts(offered, ranking):
    """Return the sorts a page offers: "similarity" only when there is a place to rank by."""
    return {key: label for key, label in offered.items()
            if key != "similarity" or ranking is not None}


@signals.merging.connect
def _move_profiles(merged, into):
    """An organisation merged into another leaves its place to it: all of it when the one
    that stays has none, else the fields the one that stays left blank."""
    kept, gone = profile_of_organisation(into), profile_of_organisation(merged)
    if gone is not None and kept is None:
        gone.organisation_id = into.id
    elif gone is not None:
        for name in PLACE_FIELDS:
            if not getattr(kept, name) and getattr(gone, name):
                setattr(kept, name, getattr(gone, name))
        if kept.country:
            kept.region = regions.subregion_of(kept.country)
        db.session.delete(gone)
    db.session.execute(update(PlaceProfile).where(
        PlaceProfile.uses_organisation_id == merged.id).values(uses_organisation_id=into.id))
