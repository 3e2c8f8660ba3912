"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis).

Two rules: bad input never gives a 500 (the API answers 4xx JSON, `{"detail": ..., "code":
...}`, shared/API.md), and the schema tells the truth: every answer's status code, media
type, headers and body conform to what the schema declares for that operation, so clients
generated from it work. Every operation under /api/v1/ is called in-process through the
WSGI app with generated (valid and invalid) requests, signed in with a personal access
token of Fabrikam's Global Administrator.

Path parameters are steered towards the fixture's objects: `tid` is usually Fabrikam's id
and `uid`, `gid`, `rid`... often name an object that exists there, so most requests get past
the 404 into the serializers and services; the rest stay random. Fixture objects have fixed
ids, so the generated cases are the same on every run (derandomized Hypothesis).
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.api_world import (
    ADMIN,
    APP,
    ASSIGNMENT,
    DEVICE,
    DRAFT_RELATIONSHIP,
    GROUP,
    HELPDESK_USER,
    INVITATION,
    INVITATION_TOKEN,
    MEMBER,
    PARTNER,
    RELATIONSHIP,
    SUBSCRIPTION,
    SUPPORT_REQUEST,
    TENANT,
)

# Known values for each path parameter (a few per operation path); the generated value is
# always one more choice.
KNOWN = {
    "tid": [TENANT, TENANT, TENANT],
    "uid": [ADMIN, HELPDESK_USER, MEMBER],
    "gid": [GROUP],
    "rid": [RELATIONSHIP, DRAFT_RELATIONSHIP],
    "aid": [ASSIGNMENT],
    "sid": [SUBSCRIPTION],
    "device_id": [DEVICE],
    "app_id": [APP],
    "iid": [INVITATION],
    "partner_id": [PARTNER],
    "customer_id": [TENANT, PARTNER],
    "token": [INVITATION_TOKEN],
}
KNOWN_IN = {"/support-requests/": {"rid": [SUPPORT_REQUEST]}}


def known(path: str, name: str) -> list[str]:
    for fragment, values in KNOWN_IN.items():
        if fragment in path and name in values:
            return [str(v) for v in values[name]]
    return [str(v) for v in KNOWN.get(name, [])]


with override_settings(API_DOCS_PUBLIC=True):  # the schema needs a signed-in user otherwise
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application).include(
        path_regex=r"^/api/v1/"
    )
# The coverage phase (boundary and wrong-type values) finds what random fuzzing misses.
schema.config.phases.coverage.enabled = True
schema.config.phases.coverage.unexpected_methods = set()  # DRF answers all 405s alike: time


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Mostly the fixture's objects (tid: Fabrikam), sometimes the generated value."""
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([*known(context.operation.path, name), value])
            for name, value in path_parameters.items()
        }
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes old connections around each request; inside the test's
    transaction that would close it (Django's test client disconnects the same signals)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def steer_coverage_case(case) -> None:
    """The coverage phase bypasses the hooks: point its cases at the fixture's objects too,
    except the path parameter that a negative case is about."""
    meta = case.meta
    if meta is None or meta.phase.name != "coverage" or not case.path_parameters:
        return
    data = meta.phase.data
    mutated = data.parameter if data.parameter_location == "path" else None
    for name in case.path_parameters:
        values = known(case.path, name)
        if name != mutated and values:
            case.path_parameters[name] = values[0]


# Schemathesis' other checks judge the API's choices, not the schema's truth: which input to
# refuse (negative_data_rejection, positive_data_acceptance: the services refuse more than a
# schema can say, such as a role that is not assignable), ignored_auth and the resource
# checks (one fixed signed-in caller), unsupported_method (DRF answers every 405 alike).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The coverage phase sends every value of an enum: for POST /tenants, 248 countries that each
# create one more tenant (a third of this test's time). A few per field say as much.
ENUM_VALUES_PER_FIELD = 5
_enum_cases: Counter = Counter()


def redundant_enum_case(case) -> bool:
    meta = case.meta
    if meta is None or meta.phase.name != "coverage":
        return False
    description = getattr(meta.phase.data, "description", "") or ""
    if not description.endswith("Enum value"):
        return False
    key = (case.method, case.path, description)
    _enum_cases[key] += 1
    return _enum_cases[key] > ENUM_VALUES_PER_FIELD


def check_error_shape(case, response) -> None:
    """A 4xx answer is JSON with "detail" and "code" (shared/API.md)."""
    if not 400 <= response.status_code < 500:
        return
    body = response.json()
    assert isinstance(body, dict), body
    assert "detail" in body, body
    assert "code" in body, body


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says_and_never_500(case, fuzz_world):
    if redundant_enum_case(case):
        return
    steer_coverage_case(case)
    response = case.call(headers={"Authorization": f"Bearer {fuzz_world}"})
    case.validate_response(response, checks=CHECKS)
    check_error_shape(case, response)


# Regression tests of what the fuzzing found (each was a 500, or an HTML 404 under /api/).


@pytest.fixture
def admin_api(fuzz_world):
    from rest_framework.test import APIClient

    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {fuzz_world}")
    return client


@pytest.mark.django_db
def test_patch_relationship_with_empty_role_row_is_a_400(admin_api):
    response = admin_api.patch(
        f"/api/v1/tenants/{TENANT}/delegated-admin-relationships/{DRAFT_RELATIONSHIP}",
        {"access_details": {"unified_roles": [{}]}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.django_db
def test_directory_facets_with_superscript_digit_country_is_not_a_500(admin_api):
    response = admin_api.get("/api/v1/directory/facets", {"country": "\u00b3"})

    assert response.status_code in (200, 400)


@pytest.mark.django_db
def test_directory_facets_with_nul_byte_is_not_a_500(admin_api):
    response = admin_api.get("/api/v1/directory/facets", {"service": "a\x00b"})

    assert response.status_code in (200, 400)


@pytest.mark.django_db
def test_token_path_that_is_not_a_uuid_is_a_json_404(admin_api):
    response = admin_api.delete("/api/v1/me/tokens/0")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
