"""A property-based run of the whole API against its own OpenAPI description (schemathesis):
every operation, in-process on a seeded database, with a read token on reads and a write token
on writes, valid and invalid input. No answer is a 5xx; every answer has a documented status
code, content type and body.

Bounded: a few derandomized examples per operation and mode, no shrinking, no example
database, so that the run is the same each time and stays short.
"""

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from fixtures.gatherings import events_and_posts
from nanum.api import tokens
from nanum.curation.models import Collection, CollectionItem
from nanum.discussions import services as discussions
from nanum.extensions import db
from nanum.search import service as search
from nanum.timeutil import utcnow

EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _seed(make):
    """Something of every kind; return the tokens and real values of the path parameters."""
    from fixtures.world import pdf
    from nanum.practices import attachments

    member = make.member()
    organisation = member.memberships[0].organisation
    practice = make.practice(organisation=organisation, lessons="Start *small*.",
                             settlement_type="rural", budget_amount=1200,
                             budget_currency="USD", language="es",
                             tagged={"countries": ["KE", "CN"], "targets": ["6.1"],
                                     "themes": ["local_action"]})
    draft = make.practice(organisation=organisation, status="draft", title="Our draft")
    attachments.add(member, practice, pdf("plan.pdf"))
    first = discussions.reply(member, practice=practice, body="How was it *paid* for?")
    discussions.reply(make.user(), practice=practice, body="By the ward.", parent_id=first.id)
    topic = discussions.start_topic(member, category="questions", title="Paying for water",
                                    body="Who paid for the kiosks?")
    collection = Collection(title="Water", description="Kiosks and *more*.", published=True,
                            published_at=utcnow())
    collection.cook()
    db.session.add(collection)
    db.session.flush()
    db.session.add(CollectionItem(collection_id=collection.id, practice_id=practice.id,
                                  note="Worth copying"))
    db.session.commit()
    search.sync()
    _, read = tokens.create(member, "Reader", ["read"])
    _, write = tokens.create(member, "Writer", ["read", "write"])
    known = {"practice_id": [practice.id, draft.id], "organisation_id": [organisation.id],
             "number": [6, 17], "key": ["6.1", "11.b"], "collection_id": [collection.id],
             "thread_id": [topic.id], **events_and_posts(make, practice)}
    return read, write, known


def _strategy(operation, mode, known):
    """Cases with generated parameters, and cases whose path names seeded records."""
    generated = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    if not names or any(name not in known for name in names):
        return generated
    seeded = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
    return st.one_of(generated, seeded.flatmap(
        lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)))


def _run(operation, mode, known, client, headers, statuses):
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @hypothesis.settings(max_examples=EXAMPLES[mode], derandomize=True, database=None,
                         deadline=None, phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @given(case=_strategy(operation, mode, known))
    def run(case):
        response = case.call(session=client, base_url="http://nanum.localhost",
                             headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=checks, headers=headers)

    run()


def test_the_whole_api_against_its_openapi_description(app, client, make):
    read, write, known = _seed(make)
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = app
    ran, failures = {}, []
    for result in schema.get_all_operations():
        operation = result.ok()
        token = read if operation.method.upper() in ("GET", "HEAD") else write
        # In-process, nothing would undo Flask-Compress's gzip: ask for the plain body.
        headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
        statuses = ran[operation.label] = set()
        for mode in EXAMPLES:
            try:
                _run(operation, mode, known, client, headers, statuses)
            except (Exception, FailureGroup) as error:  # every operation runs; all reported
                failures.append(f"{operation.label} ({mode.value}):\n{error}")
    print("\n".join(f"{label}: {sorted(codes)}" for label, codes in ran.items()))
    assert not failures, "\n\n".join(failures)
    # Not only errors: every read answered some cases in full, every write made something.
    assert all(200 in codes for label, codes in ran.items() if label.startswith("GET")), ran
    assert {400, 404} <= ran["GET /api/v1/sdg/targets/{key}"], ran
    # Published events and posts read in full, drafts and posts waiting for review not found.
    assert {200, 404} <= ran["GET /api/v1/events/{event_id}"], ran
    assert {200, 404} <= ran["GET /api/v1/board/{post_id}"], ran
    # A reply the generated cases may all miss (their bodies are random): one written plainly.
    reply = client.post(f"/api/v1/practices/{known['practice_id'][0]}/discussion/replies",
                        json={"body": "A plain reply"},
                        headers={"Authorization": f"Bearer {write}"})
    assert reply.status_code == 201, reply.get_data(as_text=True)
    assert len(ran) == 21 and len(ran) == sum(
        len([m for m in ops if m != "parameters"]) for ops in spec["paths"].values())


@pytest.mark.parametrize("check", [status_code_conformance, response_schema_conformance])
def test_the_checks_do_check(app, client, check):
    """The checks fail an answer the description does not allow (no `default` answer)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = app
    operation = schema["/api/v1/sdg/goals/{number}"]["GET"]
    case = operation.Case(path_parameters={"number": 6})
    response = case.call(session=client, base_url="http://nanum.localhost",
                         headers={"Accept-Encoding": "identity"})
    case.validate_response(response, checks=[check])  # the real answer passes
    status, content = {status_code_conformance: (418, response.content),
                       response_schema_conformance: (200, b'{"number": "six"}')}[check]
    response = schemathesis.Response(status_code=status, headers=response.headers,
                                     content=content, request=response.request,
                                     elapsed=response.elapsed, verify=False)
    try:
        case.validate_response(response, checks=[check])
    except FailureGroup as error:
        assert {status_code_conformance: "Undocumented status code",
                response_schema_conformance: "violates schema"}[check] in str(error)
    else:
        pytest.fail("the broken answer passed")
