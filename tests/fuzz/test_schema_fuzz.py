"""The whole API fuzzed from its own OpenAPI schema (schemathesis 4), as each of the seven roles.

The schema is what the app serves at /api/schema/, loaded in-process through the WSGI
application; requests go through the same application, on the database pytest-django set up
(SQLite locally, PostgreSQL in CI). For every role, every operation gets ``EXAMPLES`` positive
and ``EXAMPLES`` negative cases, then ``SCENARIOS`` stateful scenarios follow the links
schemathesis infers from the schema. Each case runs in a savepoint that is rolled back, so a
generated logout or publish never changes what the next case finds, and the throttle counters
are reset, so a run does not depend on its speed.

Failures are collected per role (deduplicated by operation, check, status and message) and
reported all at once, with a curl reproduction of the first case of each; the seed is printed
in the terminal summary. Reproduce: ``NEWSROOM_FUZZ_SEED=<seed> make fuzz``.
"""

import re
import time
import zlib

import pytest
import schemathesis
from django.core.cache import cache
from django.db import DatabaseError, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.stateful.state_machine import StepOutput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from newsroom.wsgi import application
from tests.fuzz import report
from tests.seed import PASSWORD, ROLES, seed_world
from tests.wsgi_calls import in_process_requests

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]

# A valid If-Match that names another version is a stale edit: 412 is the documented answer to
# well-formed input, like 409 for a workflow state (schemathesis expects 409 already). A body
# over the API's size limit in bytes gets the documented 413, whatever its schema says: a
# maxLength counts characters, and one character takes up to 6 bytes as a JSON escape; so 413
# is a refusal for invalid input too, like 412 for an If-Match tag that names no version
# (schemathesis' own list for negative_data_rejection, plus 412 and 413).
CONFIG = {
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": [
                "2xx",
                "3xx",
                "401",
                "403",
                "404",
                "409",
                "412",
                "413",
                "429",
                "5xx",
            ]
        },
        "negative_data_rejection": {
            "expected-statuses": [
                "400",
                "401",
                "403",
                "404",
                "405",
                "406",
                "409",
                "412",
                "413",
                "415",
                "422",
                "428",
                "429",
                "5xx",
            ]
        },
    }
}

# Refusals of well-formed input by a rule the schema cannot state. A schema-valid request that
# gets a 400 naming only fields of its operation's entry here is not counted as "schema-valid
# request rejected" (positive_data_acceptance); every other check still applies to it, and a
# 400 that names any other field is still a failure. Each entry says which rule it is.
REFUSED_BY_RULE = {
    # A cursor is opaque: only the next and previous links of a page carry valid ones.
    "GET /api/v1/articles/": {"cursor"},
    # Credentials that match no account (the schema cannot know the passwords).
    "POST /api/v1/auth/login/": {"non_field_errors"},
    "POST /api/v1/auth/tokens/": {"non_field_errors"},
    # Ids that name no row the user may use: another desk, an article the user cannot see, an
    # owner or watcher who is not a member of the article's desk.
    "POST /api/v1/articles/": {"desk"},
    "PUT /api/v1/articles/{id_or_slug}/": {"desk"},
    "PATCH /api/v1/articles/{id_or_slug}/": {"desk"},
    # The same for imports (and no desk named by a user of several: which desks a user belongs
    # to is data), and an uploaded file must hold UTF-8 text, not nothing (bytes a schema's
    # "format: binary" cannot tell apart); for a merge, entity ids that name no entity.
    "POST /api/v1/ingest/text/": {"desk", "file"},
    "POST /api/v1/ingest/ninjs/": {"desk"},
    "POST /api/v1/entities/{id}/merge/": {"entities"},
    # The same for follow-ups, and a next check in the past (a reminder due before it is set
    # would never be sent on time): "now" is not something a schema can say.
    "POST /api/v1/followups/": {"article", "owner", "watchers", "entities", "next_check_at"},
    "PUT /api/v1/followups/{id}/": {"article", "owner", "watchers", "entities", "next_check_at"},
    "PATCH /api/v1/followups/{id}/": {"article", "owner", "watchers", "entities", "next_check_at"},
    # And exactly one of period and until (said in the schema's words, not as a oneOf that
    # client generators cannot read).
    "POST /api/v1/followups/{id}/snooze/": {"until", "period"},
    "POST /api/v1/followups/{id}/done/": {"followed_up_by"},
    # The file must be an image the API can read (JPEG, PNG, WebP...): bytes a schema's
    # "format: binary" cannot tell apart.
    # A licence code that names no licence. And multipart cannot carry null: schemathesis
    # sends a nullable date as the text "null", which no client means as a date.
    # An AI-generated image (an AI digital source type) needs its AI system and licence basis:
    # a requirement that depends on another field's value, which OpenAPI 3.0 has no if/then
    # for (and a oneOf per source type is what client generators cannot read).
    "POST /api/v1/images/": {
        "file",
        "licence",
        "licence_expires_on",
        "ai_system",
        "licence_basis",
    },
    "PATCH /api/v1/images/{id}/": {"ai_system", "licence_basis"},
    # A scheduled time in the past (it would publish at once): "now" is not something a schema
    # can say, as for a follow-up's next check.
    "POST /api/v1/articles/{id_or_slug}/schedule/": {"publish_at"},
}


# Invalid input the server accepts for a reason a schema cannot state, by operation; a negative
# case accepted there is not counted as "API accepted schema-violating request"
# (negative_data_rejection) when it went as multipart. Each entry says which reason it is.
ACCEPTED_AS_SENT = {
    # A multipart form carries every value as text: a value generated to break the schema's type
    # (copyright_notice: false, a number for a caption) arrives as the text "false" or "3", a
    # valid value of the text field, and is rightly stored as that text.
    "POST /api/v1/images/": "multipart/form-data carries every value as text",
    "POST /api/v1/ingest/text/": "multipart/form-data carries every value as text",
}


def accepted_as_sent(case, failure) -> bool:
    """Whether ``failure`` is a negative case accepted for a reason of ACCEPTED_AS_SENT."""
    return (
        type(failure).__name__ == "AcceptedNegativeData"
        and case.operation.label in ACCEPTED_AS_SENT
        and (case.media_type or "").startswith("multipart/form-data")
    )


# Text a database cannot store: NUL (PostgreSQL's text refuses it) and lone surrogates (UTF-8
# cannot encode them), in values or in keys. JSON strings may hold them and OpenAPI 3.0 has no
# way to exclude them from every string, so a schema-valid body carrying one is refused with
# these messages, on every operation.
UNSTORABLE_TEXT = {
    "Null characters are not allowed.",
    "A key holds characters that cannot be stored.",
    "Text with a lone surrogate (an unpaired \\ud800-\\udfff) is not allowed.",
}


# An id or code that names no row (DRF's related fields): which rows exist is data, not schema.
NAMES_NO_ROW = re.compile(r'^(Invalid pk ".*" - object|Object with \w+=.*) does not exist\.$', re.S)


def rule_message(message) -> bool:
    return isinstance(message, str) and (
        message in UNSTORABLE_TEXT or NAMES_NO_ROW.match(message) is not None
    )


# Documents checked against a published schema an OpenAPI 3.0 document cannot carry: a ninjs
# import is validated against the IPTC's own JSON Schema 2020-12 (articles.formats.validation),
# whose refusals come as {detail, version, errors: [{path, message}]}, the operation's
# documented 400. Any other 400 of these operations is still a failure.
VALIDATED_BY_ITS_OWN_SCHEMA = {"POST /api/v1/ingest/ninjs/"}


def refused_by_its_own_schema(case, body: dict) -> bool:
    errors = body.get("errors")
    return (
        case.operation.label in VALIDATED_BY_ITS_OWN_SCHEMA
        and set(body) == {"detail", "version", "errors"}
        and isinstance(errors, list)
        and bool(errors)
        and all(isinstance(e, dict) and set(e) == {"path", "message"} for e in errors)
    )


def refused_by_rule(case, response, failure) -> bool:
    """Whether ``failure`` is a positive case refused only by a rule of REFUSED_BY_RULE."""
    if type(failure).__name__ != "RejectedPositiveData":
        return False
    if response.status_code != 400:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict) or not body:
        return False
    if refused_by_its_own_schema(case, body):
        return True
    allowed = REFUSED_BY_RULE.get(case.operation.label, set())
    return all(
        re.split(r"[.\[]", key, maxsplit=1)[0] in allowed
        or (isinstance(messages, list) and messages and all(map(rule_message, messages)))
        for key, messages in body.items()
    )


def with_body(message: str, response) -> str:
    """The failure's message and the start of the body that answered (the reason of a 4xx)."""
    if response is None or not response.content:
        return message
    return f"{message}\n    answered: {response.content[:300]!r}"


_schema = None


def api_schema():
    global _schema
    if _schema is None:
        _schema = schemathesis.openapi.from_wsgi(
            "/api/schema/", application, config=schemathesis.Config.from_dict(CONFIG)
        )
    return _schema


def token_for(user) -> str:
    """An API token issued the way clients get one (POST /api/v1/auth/tokens/)."""
    response = APIClient().post(
        "/api/v1/auth/tokens/",
        {"username": user.username, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def case_seed(*parts) -> int:
    return zlib.crc32(":".join(str(p) for p in (report.SEED, *parts)).encode())


def send(case, headers: dict, run: report.RoleRun) -> None:
    """One case in a rolled-back savepoint; its failures are recorded, never raised."""
    cache.clear()
    response = None
    with transaction.atomic():
        try:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            failures = list(group.exceptions)
        except Failure as failure:
            failures = [failure]
        else:
            failures = []
        finally:
            transaction.set_rollback(True)
    for failure in failures:
        if refused_by_rule(case, response, failure) or accepted_as_sent(case, failure):
            continue
        run.record(
            operation=case.operation.label,
            check=f"{type(failure).__name__}: {failure.title}",
            status=response.status_code if response is not None else 0,
            message=with_body(failure.message, response),
            reproduction=lambda: case.as_curl_command(headers=headers),
        )


# Operations with nothing to make invalid (no parameters, no body), found once for all roles.
_unsatisfiable: set[tuple[str, str]] = set()


def fuzz_operation(operation, mode: GenerationMode, headers: dict, run: report.RoleRun) -> None:
    if (operation.label, mode.value) in _unsatisfiable:
        run.unsatisfiable.append(f"{operation.label} ({mode.value})")
        return

    @hypothesis_seed(case_seed(run.role, operation.label, mode.value))
    @settings(
        max_examples=report.EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def cases(case):
        run.cases += 1
        send(case, headers, run)

    try:
        cases()
    except Unsatisfiable:
        # Nothing in the operation can be made invalid (no parameters, no body): no negative cases.
        _unsatisfiable.add((operation.label, mode.value))
        run.unsatisfiable.append(f"{operation.label} ({mode.value})")


def fuzz_stateful(schema, headers: dict, run: report.RoleRun) -> None:
    class RoleMachine(schema.as_state_machine()):
        """Each scenario in a savepoint rolled back at its end; each step in a nested one that
        is kept (a later step follows its links) unless the request broke the transaction."""

        def setup(self):
            self._scenario = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self._scenario)

        def step(self, input):
            run.stateful_steps += 1
            cache.clear()
            step = transaction.savepoint()
            response = self.call(input.case, headers=headers)
            try:
                transaction.savepoint_commit(step)
            except DatabaseError:
                transaction.savepoint_rollback(step)
            try:
                input.case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                failures = list(group.exceptions)
            except Failure as failure:
                failures = [failure]
            else:
                failures = []
            for failure in failures:
                if refused_by_rule(input.case, response, failure) or accepted_as_sent(
                    input.case, failure
                ):
                    continue
                run.record(
                    operation=f"stateful {input.case.operation.label}",
                    check=f"{type(failure).__name__}: {failure.title}",
                    status=response.status_code,
                    message=with_body(failure.message, response),
                    reproduction=lambda case=input.case: case.as_curl_command(headers=headers),
                )
            return StepOutput(response, input.case)

    # @seed on the machine class is how Hypothesis seeds a stateful test.
    hypothesis_seed(case_seed(run.role, "stateful"))(RoleMachine)
    RoleMachine.run(
        settings=settings(
            max_examples=report.SCENARIOS,
            stateful_step_count=10,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_api_conforms_to_its_schema_for(role):
    world = seed_world()
    user = world.user(role)
    headers = {} if user is None else {"Authorization": f"Token {token_for(user)}"}
    run = report.RUNS.setdefault(role, report.RoleRun(role))
    started = time.monotonic()
    with in_process_requests():
        schema = api_schema()
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz_operation(operation, mode, headers, run)
        fuzz_stateful(schema, headers, run)
    run.seconds = time.monotonic() - started
    failures = sorted(run.failures.values(), key=lambda f: (f.operation, f.check))
    details = "\n\n".join(
        f"{f.operation} [{f.check}] -> {f.status} (x{f.count})\n{f.message}\n{f.reproduction}"
        for f in failures
    )
    assert not failures, f"{len(failures)} distinct failures as {role}:\n\n{details}"
