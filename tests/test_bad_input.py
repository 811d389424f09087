"""No request, however malformed, is answered with a 500 or sent to another host.

Every route of the URL map is walked with a corpus of bad inputs generated from the map, the
query arguments the code reads and the fields of every form: huge and negative numbers,
wrong types, unknown and reserved query keys, invalid UTF-8, control characters, 1 MB fields,
wrong methods and a forged Host. The corpus is sent as a visitor and as a signed-in
organisation admin, whose POSTs carry a valid CSRF token so that they reach the views.
"""

import io
import logging
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms.fields import DecimalField, IntegerField
from wtforms.fields.core import UnboundField

import nanum
from fixtures.app import PASSWORD, Auth, app_settings, csrf_token
from fixtures.factories import MembershipFactory, PracticeFactory, UserFactory
from nanum import create_app
from nanum.accounts import services as accounts
from nanum.curation import calls, collections
from nanum.discussions import services as discussions
from nanum.discussions.models import Post, Thread
from nanum.errors import Invalid
from nanum.extensions import db
from nanum.notifications import services as notifications
from nanum.notifications import tokens
from nanum.organisations import services as organisations
from nanum.practices.models import Attachment
from nanum.search import service as search
from nanum.timeutil import utcnow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEGABYTE = "m" * (1024 * 1024)
HOST = "localhost"

# Numbers an id, a page or a count might be given as.
NUMBERS = ["9223372036854775807", "9223372036854775808", "18446744073709551616", "2147483648",
           "9" * 5000, "-9223372036854775809", "-1", "0", "1.5", "abc", "", "²", "１", "99999"]
# Words and markup that are not what a field expects.
TEXTS = ["\x00", "a\x00b", "\x1b[2J\x07\x7f", "%ff%fe%00", "\ufffe\u202e", "<script>x</script>",
         "{{ 7*7 }}", "[" * 300, "x" * 5000]
# Keys that mean something to `url_for`, and keys nobody expects.
RESERVED = {"_method": ["POST"], "_external": ["1"], "_scheme": ["javascript"],
            "_anchor": ['x"><b>'], "%00": ["1"], "page[]": ["1"], "a" * 300: ["1"]}
# Path segments that are not a valid id or key.
SEGMENTS = [*NUMBERS[:6], "0", "00000000000000000000001", "-1", "%ff", "%00", "x" * 2000]
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
# Form fields that hold numbers in a service's eyes, though the form takes them as text.
NUMERIC_NAMES = re.compile(r"(_id|_year|_amount|_months|_fte|_start|_end|^page)$")
CORPUS_MINIMUM = 2000


# -- what the corpus is made of, read from the code ---------------------------------------

def query_names():
    """The query arguments the views and templates read (`args.get("name")`)."""
    root = Path(nanum.__file__).parent
    sources = [path.read_text() for path in root.rglob("*.py")]
    sources += [path.read_text() for path in (root.parents[1] / "templates").rglob("*.html")]
    names = set()
    for source in sources:
        names.update(re.findall(r"args\.get\(\s*[\"'](\w+)[\"']", source))
    return sorted(names)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_fields():
    """Every field of every form: {name: True when it holds a number}."""
    fields = {}
    for form in _subclasses(FlaskForm):
        for name in dir(form):
            unbound = getattr(form, name, None)
            if isinstance(unbound, UnboundField):
                numeric = issubclass(unbound.field_class, (IntegerField, DecimalField)) or (
                    unbound.kwargs.get("coerce") is int)
                fields[name] = fields.get(name, False) or numeric or bool(
                    NUMERIC_NAMES.search(name))
    fields["page"] = True  # read straight from the form by the "mark as read" button
    return fields


# -- a small world to aim at ----------------------------------------------------------------

def _seed(app):
    """Create the people and content whose ids fill the routes' variables."""
    admin = UserFactory(email="member@example.org")
    other = UserFactory(email="other@example.org")
    organisation = organisations.create(admin, name="Town of Fuzz", type="LRG", country="KE")
    pending = MembershipFactory(user=UserFactory(), organisation=organisation, status="pending")
    MembershipFactory(user=other, organisation=organisation)
    practice = PracticeFactory(organisation=organisation)
    draft = PracticeFactory(organisation=organisation, status="draft", published_at=None)
    upload_dir = Path(app.config["UPLOAD_DIR"])
    upload_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for label, owner in (("published", practice), ("draft", draft)):
        (upload_dir / label).write_bytes(PDF)
        attachment = Attachment(practice=owner, original_name=f"{label}.pdf", stored_name=label,
                                mime_type="application/pdf", size=len(PDF),
                                uploaded_by_id=admin.id)
        db.session.add(attachment)
        db.session.commit()
        files[label] = attachment.id
    topic = discussions.start_topic(admin, category="questions", title="How was it funded?",
                                    body="Tell us how the first year was paid for.")
    first = db.session.scalar(select(Post).where(Post.thread_id == topic.id).order_by(Post.id))
    answer = discussions.reply(other, thread=topic, body="From the city budget, @"
                               + admin.handle, parent_id=first.id)
    discussions.reply(other, thread=discussions.thread_of_practice(practice) or _thread(practice),
                      body="How many wardens were there?")
    [note, *_] = notifications.notify_moderation(admin, "Your practice was seen", "/practices/")
    curator = UserFactory(role="moderator")
    collection = collections.create(curator, "Water points that last")
    collections.add(curator, collection, str(practice.id), "Cheap to copy")
    collections.set_published(curator, collection, True)
    call = calls.open_call(curator, title="Practices on SDG 6.b", sdgs="6.b",
                           closes_on=utcnow().date() + timedelta(days=30))
    return {
        "practice_id": practice.id, "draft_id": draft.id, "thread_id": topic.id,
        "post_id": answer.id, "organisation_id": organisation.id,
        "membership_id": pending.id, "attachment_id": files["published"],
        "collection_id": collection.id, "call_id": call.id,
        "draft_attachment_id": files["draft"], "notification_id": note.id,
        "user_id": other.id, "category": "questions", "key": "11.3",
        "theme": "drr_resilience", "act": "approve", "filename": "css/nanum.css",
        "reset_token": accounts.reset_token(other),  # a reset would end the member's session
        "unsubscribe_token": tokens.unsubscribe_token(admin),
    }


def _thread(practice):
    return Thread(practice_id=practice.id, practice=practice)


def _value_for(world, rule, name):
    if name == "token":
        return world["reset_token" if "reset" in rule.endpoint else "unsubscribe_token"]
    if name == "filename" and rule.endpoint.startswith("bootstrap"):
        return "css/bootstrap.min.css"
    if name in world:
        return world[name]
    converter = type(rule._converters[name]).__name__
    return 1 if "Integer" in converter else "x"  # a route added since: still walked


def _url(rule, values):
    """Build a rule's path with raw segments (no quoting, so bad escapes reach the app)."""
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[^<>:]+:)?" + re.escape(name) + r">", str(value), path)
    return path


# -- the corpus -----------------------------------------------------------------------------

def forms_by_action(client, paths):
    """Read the pages at `paths` and return {path a form posts to: its field names}."""
    found = {}
    for path in paths:
        response = client.get(path)
        if response.mimetype != "text/html":  # a PDF, a feed: no forms to read
            continue
        html = response.get_data(as_text=True)
        for attributes, inner in re.findall(r"<form\b([^>]*)>(.*?)</form>", html, re.DOTALL):
            action = re.search(r'action="([^"]*)"', attributes)
            target = urlsplit(action.group(1) if action else path).path
            names = set(re.findall(r'name="([^"]+)"', inner)) - {"csrf_token"}
            found.setdefault(target, set()).update(names)
    return found


def corpus(app, world, posted):
    """Return {rule: [(method, path, query, form, headers)]}: the requests aimed at each
    route, its clean request first. `posted` names the fields of the forms that post to a
    path; a path no form on the site posts to gets every field of every form."""
    names = query_names()
    every_field = form_fields()
    aimed = {}
    for rule in app.url_map.iter_rules():
        values = {name: _value_for(world, rule, name) for name in rule.arguments}
        path = _url(rule, values)
        allowed = rule.methods - {"HEAD", "OPTIONS"}
        main = "GET" if "GET" in allowed else "POST"
        # Several rules may share a path (an API's reads and writes): each adds its requests.
        requests = aimed.setdefault(rule.rule, [])
        requests.append((main, path, {}, {} if main == "POST" else None, {}))
        requests += [(method, path, {}, None, {}) for method in METHODS
                     if method not in allowed]
        for name in rule.arguments:
            requests += [(main, _url(rule, {**values, name: segment}), {}, None, {})
                         for segment in SEGMENTS]
        if "GET" in allowed:
            requests += [("GET", path, {key: value}, None, {})
                         for key, bad in RESERVED.items() for value in bad]
            requests.append(("GET", path, {"_external": "1"}, None, {"Host": "evil.example"}))
            requests.append(("GET", path, {"next": "//evil.example/"}, None,
                             {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}))
            # Every argument at once; without `q` too, which some pages hand to search.
            requests += [("GET", path, dict.fromkeys(names, value), None, {})
                         for value in TEXTS]
            requests += [("GET", path, dict.fromkeys(set(names) - {"q"}, value), None, {})
                         for value in NUMBERS if value not in ("", "1.5", "１", "0")]
            requests.append(("GET", path + "?q=%ff%fe&page=%80&%ff=%00", {}, None, {}))
        if "POST" in allowed:
            requests += _posts(path, world, posted.get(path), every_field)
    return aimed


def _posts(path, world, fields, every_field):
    """The bad forms sent to one path: every field wrong at once, then one field at a time
    on an otherwise plausible form."""
    fields = every_field if fields is None else {
        name: every_field.get(name, bool(NUMERIC_NAMES.search(name))) for name in fields}
    numeric = sorted(name for name, is_number in fields.items() if is_number)
    baseline = {name: "1" if name in numeric else "A plain value" for name in fields}
    plausible = {"body": "A thoughtful reply.", "category": "questions", "type": "LRG",
                 "country": "KE", "kind": "case_study", "action": "preview",
                 "organisation": str(world["organisation_id"]),
                 "email": "someone@example.org"}
    baseline.update({name: value for name, value in plausible.items() if name in fields})
    requests = [("POST", path, {}, dict.fromkeys(fields, value), {})
                for value in (NUMBERS + TEXTS if fields else NUMBERS[:3])]
    requests += [("POST", path, {}, {**baseline, name: value}, {})
                 for name in numeric for value in (NUMBERS[1], NUMBERS[3], NUMBERS[4])]
    requests += [("POST", path, {}, {**baseline, name: MEGABYTE}, {})
                 for name in ("body", "title", "name", "description") if name in fields]
    if "action" in fields:
        requests += [("POST", path, {}, {**baseline, "action": action}, {})
                     for action in ("draft", "submit", "bogus")]
    requests.append(("POST", path, {}, b"body=%ff%fe&title=%c3%28&parent_id=%80", {}))
    requests.append(("POST", path, {}, b"\xff\xfe\x00\x01", {}))
    requests.append(("POST", path, {}, {**baseline, "file": (PDF, "\x00.pdf")}, {}))
    requests.append(("POST", path, {}, {}, {"Host": "evil.example"}))
    return requests


def plan(aimed, role, public):
    """Return the requests one role sends, in order.

    Pages anyone may see get every other request of their corpus as a visitor and the rest
    as a member, so that each request is sent once; pages for members only get all of theirs
    as a member (a visitor sends only the bad paths and methods, answered before the login
    page). What ends the session or removes content goes last.
    """
    requests = []
    for rule, aimed_at_rule in aimed.items():
        if rule in public:
            requests += aimed_at_rule[role == "member"::2]
        elif role == "member":
            requests += aimed_at_rule
        else:
            requests += [request for request in aimed_at_rule
                         if not request[2] and request[3] is None]
    last = ("logout", "delete", "remove")
    return sorted(requests, key=lambda request: (request[0] == "POST",
                                                 any(word in request[1] for word in last)))


# -- sending it -----------------------------------------------------------------------------

class Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _asks_to_log_in(response):
    return response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    # No SERVER_NAME: as in production, a forged Host header reaches the views.
    settings = app_settings(root)
    del settings["SERVER_NAME"]
    app = create_app(settings, instance_path=root / "instance")
    with app.app_context():
        db.create_all()
        world = _seed(app)
        db.session.remove()
    member = app.test_client()
    Auth(member).login("member@example.org", PASSWORD)
    pages = [_url(rule, {name: _value_for(world, rule, name) for name in rule.arguments})
             for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    aimed = corpus(app, world, forms_by_action(member, pages))
    visitor = app.test_client()
    token = csrf_token(visitor, "/login")
    public = {rule for rule, requests in aimed.items()
              if not _asks_to_log_in(_send(visitor, token, requests[0]))}
    return app, aimed, public


def _send(client, token, request):
    method, path, query, form, headers = request
    if isinstance(form, dict) and method == "POST":
        form = {**form, "csrf_token": token}
    kwargs = {"query_string": query or None, "headers": headers}
    if isinstance(form, bytes):
        kwargs.update(data=form, content_type="application/x-www-form-urlencoded")
    elif form is not None:
        form = {name: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
                for name, value in form.items()}
        files = any(isinstance(value, tuple) for value in form.values())
        kwargs.update(data=form, content_type="multipart/form-data" if files else None)
    return client.open(path, method=method, **kwargs)


def _problem(response):
    if response.status_code >= 500:
        return f"answered {response.status_code}"
    location = response.headers.get("Location")
    if location and urlsplit(location).netloc not in ("", HOST):
        return f"redirected to {location}"
    return None


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_no_bad_input_gets_a_500(fuzz_app, role):
    app, aimed, public = fuzz_app
    size = sum(len(requests) for requests in aimed.values())
    client = app.test_client()
    if role == "member":
        Auth(client).login("member@example.org", PASSWORD)
    token = csrf_token(client, "/login")
    requests = plan(aimed, role, public)
    print(f"bad-input corpus: {size} requests over {len(aimed)} routes; "
          f"{len(requests)} sent as {role}")
    assert size >= CORPUS_MINIMUM and len(aimed) == len(
        {rule.rule for rule in app.url_map.iter_rules()})
    collector = Collector()
    app.logger.addHandler(collector)
    failures = []
    try:
        for request in requests:
            before = len(collector.records)
            problem = _problem(_send(client, token, request))
            if problem:
                error = collector.records[before:]
                detail = error[-1].exc_info[1] if error and error[-1].exc_info else ""
                failures.append(f"{request[0]} {request[1][:100]} {str(request[2])[:100]} "
                                f"{str(request[3])[:80]} {request[4] or ''}: {problem} "
                                f"{detail!r:.200}")
    finally:
        app.logger.removeHandler(collector)
    assert not failures, f"{len(failures)} of {len(requests)} failed:\n" + "\n".join(
        failures[:60])


# -- what a person sees for each kind of bad input -----------------------------------------

def test_an_id_beyond_the_database_is_a_missing_page(client):
    for url in ("/practices/9223372036854775808", "/people/2147483648",
                "/posts/18446744073709551616/history", "/practices/١"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.get_data(as_text=True)


def test_a_page_past_the_end_is_the_last_page(client, make):
    organisation = make.organisation()
    for _ in range(21):
        make.practice(organisation=organisation)
    search.sync()
    for page in ("99999", "9223372036854775808", "9" * 5000):
        html = client.get(f"/practices/?page={page}").get_data(as_text=True)
        assert "page 2 of 2" in html and "of 2</span>" in html
    assert "page 1 of 2" in client.get("/practices/?page=abc").get_data(as_text=True)
    html = client.get("/search?q=practice&page=40").get_data(as_text=True)
    assert "page 2 of 2" in html


def test_query_keys_never_reach_url_for(client):
    response = client.get("/practices/?q=water&goal=6&_external=1&_method=POST&_anchor=x",
                          headers={"Host": "evil.example"})
    assert response.status_code == 302
    assert response.location.startswith("/search?") and "evil" not in response.location
    assert "_method" not in response.location and "goal=6" in response.location


def test_control_characters_never_reach_a_page(client):
    html = client.get("/search?q=wa%00ter%1b").get_data(as_text=True)
    assert "\x00" not in html and "\x1b" not in html
    assert "<title>water" in html or "“water”" in html


def test_a_reply_to_an_impossible_post_says_so_and_keeps_the_text(client, auth, post, make):
    writer = make.user()
    thread = discussions.start_topic(writer, category="questions", title="Funding",
                                     body="How was it funded?")
    auth.login(writer.email)
    for parent in ("9223372036854775808", "2147483648", "²"):
        response = post(f"/discussions/t/{thread.id}/reply",
                        {"body": "My unsent words", "parent_id": parent},
                        page=f"/discussions/t/{thread.id}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "My unsent words" in html
        assert ("not in this discussion" in html or "Not a valid integer" in html)
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_an_impossible_population_says_so(client, auth, post, make):
    auth.login(make.user().email)
    response = post("/organisations/new", {"name": "Big Town", "type": "LRG", "country": "KE",
                                           "population": "9223372036854775808"})
    assert response.status_code == 200
    assert "at most 2,000,000,000" in response.get_data(as_text=True)
    with pytest.raises(Invalid) as error:
        organisations.create(make.user(), name="Big Town", type="LRG", country="KE",
                             population="18446744073709551616")
    assert error.value.errors["population"].startswith("Enter the population")


def test_a_quote_of_an_impossible_post_shows_the_page(client, make):
    thread = discussions.start_topic(make.user(), category="questions", title="Funding",
                                     body="How was it funded?")
    for quote in ("9223372036854775808", "²", "-1"):
        assert client.get(f"/discussions/t/{thread.id}?quote={quote}").status_code == 200


def test_draft_files_and_personal_pages_stay_out_of_shared_caches(client, auth, make, app):
    writer = make.member()
    organisation = writer.memberships[0].organisation
    folder = Path(app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for status in ("published", "draft"):
        practice = make.practice(organisation=organisation, status=status)
        (folder / status).write_bytes(PDF)
        attachment = Attachment(practice=practice, original_name="a.pdf", stored_name=status,
                                mime_type="application/pdf", size=len(PDF),
                                uploaded_by_id=writer.id)
        db.session.add(attachment)
        db.session.commit()
        files[status] = attachment.id
    auth.login(writer.email)
    draft = client.get(f"/practices/attachments/{files['draft']}")
    assert draft.status_code == 200 and draft.cache_control.private
    assert not draft.cache_control.public
    published = client.get(f"/practices/attachments/{files['published']}")
    assert published.cache_control.public and published.cache_control.max_age == 3600
    assert client.get("/practices/").cache_control.private
    assert client.get("/feeds/practices.atom").cache_control.public
