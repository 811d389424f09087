"""Checking an event's fields: clean values or field-by-field messages."""

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _

from nanum.errors import Invalid
from nanum.events import vocab
from nanum.organisations import regions
from nanum.practices.vocab import THEMES
from nanum.taxonomy import sdg

OBJECTIVES_LIMIT = 20
TEXT_LIMIT = 20000
MOMENT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


def _text(fields, name, limit):
    return str(fields.get(name) or "").strip()[:limit + 1]


def _list(fields, name):
    value = fields.get(name) or []
    if isinstance(value, str):
        value = [value]
    return [str(item).strip() for item in value if str(item).strip()]


def zone_of(name, errors):
    """Return the IANA zone called `name`, or note the error and return UTC."""
    if name in available_timezones():
        return ZoneInfo(name)
    errors["time_zone"] = _("Please choose a time zone from the list, such as Asia/Seoul.")
    return ZoneInfo("UTC")


def to_utc(raw, zone, field, errors):
    """Turn a local date and time in `zone` into naive UTC, or note the error."""
    raw = str(raw or "").strip()
    for pattern in MOMENT_FORMATS:
        try:
            local = datetime.strptime(raw, pattern)
        except ValueError:
            continue
        return local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    errors[field] = _("Please give a date and time like 2023-07-14 09:30.")
    return None


def is_web_address(value):
    return value.startswith(("https://", "http://")) and " " not in value and len(value) > 10


def clean(fields):
    """Return an event's clean values from form fields, or raise Invalid with every error."""
    errors, values = {}, {}
    for part in (_about, _when, _where, _texts, _tags):
        part(fields, values, errors)
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    return values


def _about(fields, values, errors):
    values["title"] = _text(fields, "title", 200)
    if not values["title"]:
        errors["title"] = _("Please give the event a title.")
    elif len(values["title"]) > 200:
        errors["title"] = _("The title is longer than 200 characters.")
    values["kind"] = str(fields.get("kind") or "")
    if values["kind"] not in vocab.KINDS:
        errors["kind"] = _("Please choose the kind of event.")
    values["capacity"] = _capacity(fields.get("capacity"), errors)
    try:
        values["co_organisers"] = sorted({int(o[:12]) for o in _list(fields, "co_organisers")})
    except ValueError:
        values["co_organisers"] = []
        errors["co_organisers"] = _("One of the co-organisers does not exist.")


def _when(fields, values, errors):
    values["time_zone"] = str(fields.get("time_zone") or "").strip()[:64]
    zone = zone_of(values["time_zone"], errors)
    values["starts_at"] = to_utc(fields.get("starts_at"), zone, "starts_at", errors)
    values["ends_at"] = to_utc(fields.get("ends_at"), zone, "ends_at", errors)
    if values["starts_at"] and values["ends_at"] and values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = _("The event must end after it starts.")


def _where(fields, values, errors):
    values["place"] = _text(fields, "place", 300)[:300]
    values["online_url"] = _text(fields, "online_url", 500)[:500]
    if values["online_url"] and not is_web_address(values["online_url"]):
        errors["online_url"] = _("The online link must be a web address starting with https://.")
    if not values["place"] and not values["online_url"]:
        errors["place"] = _("Please give a place, an online link, or both.")
    country = str(fields.get("country") or "").strip().upper()[:3]
    if country and not regions.is_country(country):
        errors["country"] = _("Please choose a country from the list.")
    values["country"] = country or None


def _texts(fields, values, errors):
    for name in ("background", "outcome"):
        values[name] = _text(fields, name, TEXT_LIMIT)
        if len(values[name]) > TEXT_LIMIT:
            errors[name] = _("This text is longer than %(limit)s characters.", limit=TEXT_LIMIT)
    objectives = fields.get("objectives") or ""
    if isinstance(objectives, str):
        objectives = objectives[:TEXT_LIMIT].splitlines()
    values["objectives"] = [line.strip(" -*\t")[:500] for line in objectives
                            if line.strip(" -*\t")]
    if len(values["objectives"]) > OBJECTIVES_LIMIT:
        errors["objectives"] = _("Please list at most %(limit)s objectives.",
                                 limit=OBJECTIVES_LIMIT)


def _tags(fields, values, errors):
    targets = [_target(key) for key in _list(fields, "targets")]
    if None in targets:
        errors["targets"] = _("One of the SDG targets does not exist.")
    values["targets"] = sorted({t for t in targets if t}, key=sdg.target_sort_key)
    try:
        goals = {int(goal[:3]) for goal in _list(fields, "goals")}
    except ValueError:
        goals = {0}
    if not goals <= set(sdg.GOALS):
        errors["goals"] = _("One of the SDG goals does not exist.")
    values["goals"] = sorted((goals & set(sdg.GOALS)) | sdg.expand_goals(values["targets"]))
    themes = set(_list(fields, "themes"))
    values["themes"] = [key for key in THEMES if key in themes]
    if themes - set(THEMES):
        errors["themes"] = _("One of the themes does not exist.")


def _capacity(raw, errors):
    raw = str(raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw[:7]) <= 100000:
        errors["capacity"] = _("The number of places must be a whole number from 1 to 100,000.")
        return None
    return int(raw)


def _target(raw):
    key = sdg.normalise_key(raw[:20])
    return key if key and "." in key else None
