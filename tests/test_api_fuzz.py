"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis).

The product's rule: bad input never gives a 500; the API answers 4xx JSON
(`{"detail": ..., "code": ...}`, shared/API.md). Every operation under /api/v1/ is called
in-process through the WSGI app with generated (valid and invalid) requests, signed in with
a personal access token of Fabrikam's Global Administrator.

Path parameters are steered towards the fixture's objects: `tid` is usually Fabrikam's id
and `uid`, `gid`, `rid`... often name an object that exists there, so most requests get past
the 404 into the serializers and services; the rest stay random. Fixture objects have fixed
ids, so the generated cases are the same on every run (derandomized Hypothesis).
"""

import hashlib
import uuid
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from config.wsgi import application

# Fixed ids of the fixture's objects (see `fuzz_world`).
TENANT = uuid.UUID("a0000000-0000-4000-8000-000000000001")  # Fabrikam, the caller's tenant
PARTNER = uuid.UUID("b0000000-0000-4000-8000-000000000002")  # Contoso, its partner
ADMIN = uuid.UUID("c0000000-0000-4000-8000-000000000001")  # the caller
HELPDESK_USER = uuid.UUID("c0000000-0000-4000-8000-000000000002")
MEMBER = uuid.UUID("c0000000-0000-4000-8000-000000000003")
GROUP = uuid.UUID("d0000000-0000-4000-8000-000000000001")
RELATIONSHIP = uuid.UUID("e0000000-0000-4000-8000-000000000001")  # active, Contoso -> Fabrikam
DRAFT_RELATIONSHIP = uuid.UUID("e0000000-0000-4000-8000-000000000002")  # created, Fabrikam's own
ASSIGNMENT = uuid.UUID("e1000000-0000-4000-8000-000000000001")
SUBSCRIPTION = uuid.UUID("f0000000-0000-4000-8000-000000000001")
SUPPORT_REQUEST = uuid.UUID("f1000000-0000-4000-8000-000000000001")
DEVICE = uuid.UUID("f2000000-0000-4000-8000-000000000001")
APP = uuid.UUID("f3000000-0000-4000-8000-000000000001")
INVITATION = uuid.UUID("f4000000-0000-4000-8000-000000000001")
INVITATION_TOKEN = "fuzz-invitation-token-0123456789"

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


@pytest.fixture
def fuzz_world(db):
    """Fabrikam with users, a group, GDAP from Contoso, a subscription, a support request,
    a device, an industry app and a pending invitation; returns the admin's bearer token."""
    from django.apps import apps

    from agreements.defaults import publish_default
    from agreements.models import AgreementVersion
    from billing import catalog as billing_catalog
    from billing.models import Product, Subscription
    from billing.services import renewal_from
    from devices.models import AutopilotDevice
    from devices.services import hash_digest
    from industry.models import IndustryApp
    from support.models import SupportRequest
    from tenants.services import create_api_token
    from tests.factories import SecurityGroupFactory, TenantFactory, member
    from tests.gdap_factories import AccessAssignmentFactory, DelegatedAdminRelationshipFactory
    from tests.partners.conftest import load_curated_lists, make_listing

    # partners/ is being split into packages: look its models up by app label.
    Invitation = apps.get_model("relationships", "Invitation")
    PartnerRelationship = apps.get_model("relationships", "PartnerRelationship")
    billing_catalog.load(Product)
    publish_default(AgreementVersion)
    load_curated_lists()

    fabrikam = TenantFactory(id=TENANT, name="Fabrikam", slug="fabrikam", country="DE")
    contoso = TenantFactory(id=PARTNER, name="Contoso", slug="contoso", country="US")
    admin = member(fabrikam, "Global Administrator", email="alice@fabrikam.example", id=ADMIN)
    helpdesk = member(
        fabrikam, "Helpdesk Administrator", email="hal@fabrikam.example", id=HELPDESK_USER
    )
    carol = member(fabrikam, email="carol@fabrikam.example", id=MEMBER)
    partner_admin = member(contoso, "Global Administrator", email="pat@contoso.example")
    SecurityGroupFactory(id=GROUP, tenant=fabrikam, name="Helpdesk", members=[helpdesk, carol])

    make_listing("Contoso", tenant=contoso, relationship_types=("reseller", "gdap", "advisor"))
    PartnerRelationship.objects.create(
        customer=fabrikam, partner=contoso, types=["reseller", "gdap"]
    )
    gdap = DelegatedAdminRelationshipFactory(
        id=RELATIONSHIP,
        partner=contoso,
        customer=fabrikam,
        display_name="Contoso helpdesk",
        roles=["Helpdesk Administrator", "User Administrator"],
    )
    AccessAssignmentFactory(
        id=ASSIGNMENT,
        relationship=gdap,
        security_group=SecurityGroupFactory(tenant=contoso, members=[partner_admin]),
    )
    DelegatedAdminRelationshipFactory(
        id=DRAFT_RELATIONSHIP,
        partner=fabrikam,
        customer=contoso,
        status="created",
        display_name="Fabrikam draft",
    )

    product = Product.objects.get(sku="M365-BP-M")
    Subscription.objects.create(
        id=SUBSCRIPTION,
        tenant=fabrikam,
        product=product,
        quantity=5,
        channel="direct",
        renewal_date=renewal_from(timezone.localdate(), product.term),
    )
    SupportRequest.objects.create(
        id=SUPPORT_REQUEST,
        tenant=fabrikam,
        title="Mailbox full",
        description="Alice's mailbox is full.",
        created_by=admin,
    )
    hardware_hash = "T0FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
    AutopilotDevice.objects.create(
        id=DEVICE,
        tenant=fabrikam,
        hardware_hash=hardware_hash,
        hash_digest=hash_digest(hardware_hash),
        serial_number="SN-0001",
        registered_by=admin,
    )
    IndustryApp.objects.create(
        id=APP,
        tenant=fabrikam,
        partner=contoso,
        name="Contoso Clinic",
        version="1.0",
        summary="Scheduling for clinics.",
        link="https://contoso.example/clinic",
    )
    Invitation.objects.create(
        id=INVITATION,
        partner=contoso,
        email="alice@fabrikam.example",
        customer=fabrikam,
        relationship_types=["advisor"],
        token_hash=hashlib.sha256(INVITATION_TOKEN.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=30),
        created_by=partner_admin,
    )
    _token, raw = create_api_token(by=admin, name="fuzz")
    return raw


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
def test_api_never_answers_500(case, fuzz_world):
    steer_coverage_case(case)
    response = case.call(headers={"Authorization": f"Bearer {fuzz_world}"})
    case.validate_response(response, checks=[not_a_server_error])
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
