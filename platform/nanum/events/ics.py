"""iCalendar (RFC 5545) files: one per event, and a feed of all published events."""

from datetime import timezone

from nanum.notifications import mailqueue

PRODUCT = "-//Nanum//Events//EN"
# A withdrawn event's file says so: a calendar that imported it marks the entry cancelled.
STATUS = {"published": "CONFIRMED", "withdrawn": "CANCELLED"}


def _utc(moment):
    return moment.replace(tzinfo=timezone.utc)


def _calendar(name):
    from icalendar import Calendar  # only where a file is made: not at every start-up

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _entry(event, url, host):
    from icalendar import Event as CalendarEvent

    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("summary", event.title)
    entry.add("dtstart", _utc(event.starts_at))
    entry.add("dtend", _utc(event.ends_at))
    entry.add("dtstamp", _utc(event.updated_at))
    entry.add("url", url)
    where = ", ".join(part for part in (event.place, *event.country_names) if part)
    if where or event.online_url:
        entry.add("location", where or event.online_url)
    description = event.text("background", 1000)
    entry.add("description", f"{description}\n\n{url}".strip())
    entry.add("organizer", f"mailto:noreply@{host}", parameters={"cn": event.organisation.name})
    entry.add("status", STATUS.get(event.status, "TENTATIVE"))
    return entry


def _host():
    from urllib.parse import urlsplit

    return urlsplit(mailqueue.absolute("/")).hostname or "nanum.localhost"


def one(event, url):
    """Return the .ics bytes of one event; `url` is the event page's full address."""
    calendar = _calendar(event.title)
    calendar.add_component(_entry(event, url, _host()))
    return calendar.to_ical()


def feed(events, url_of, name="Nanum events"):
    """Return the .ics bytes of a feed of events; `url_of(event)` gives each page's address."""
    calendar = _calendar(name)
    host = _host()
    for event in events:
        calendar.add_component(_entry(event, url_of(event), host))
    return calendar.to_ical()
