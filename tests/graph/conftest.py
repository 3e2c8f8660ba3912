"""Graph fixtures: bearer tokens bound to Contoso (the partner) and a client carrying one."""

import pytest
from rest_framework.test import APIClient

from tenants import services as token_services
from tenants.tokens import GRAPH_READ, GRAPH_READ_WRITE
from tests.partners.conftest import make_listing

ROOT = "/graph/v1.0"
RELATIONSHIPS = f"{ROOT}/tenantRelationships/delegatedAdminRelationships"
CUSTOMERS = f"{ROOT}/tenantRelationships/delegatedAdminCustomers"
HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"


@pytest.fixture
def partner_tenant(partner_tenant):
    """Contoso with its partner profile: only partners ask customers for roles."""
    make_listing("Contoso", tenant=partner_tenant, lead_email="leads@contoso.example")
    return partner_tenant


def graph_token(user, tenant, *scopes) -> str:
    _token, raw = token_services.create_api_token(
        by=user, name="graph", tenant_id=tenant.pk, scopes=list(scopes or [GRAPH_READ_WRITE])
    )
    return raw


def bearer_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def graph(partner_admin, partner_tenant):
    """Contoso's admin with a read-write Graph token bound to Contoso."""
    return bearer_client(graph_token(partner_admin, partner_tenant))


@pytest.fixture
def graph_reader(partner_admin, partner_tenant):
    return bearer_client(graph_token(partner_admin, partner_tenant, GRAPH_READ))


@pytest.fixture
def outsider_graph(outsider_admin, outsider):
    """Northwind's admin, a partner of its own, with a read-write Graph token."""
    return bearer_client(graph_token(outsider_admin, outsider))


def roles(*ids) -> dict:
    return {"unifiedRoles": [{"roleDefinitionId": i} for i in ids]}


def new_relationship(**changes) -> dict:
    body = {
        "displayName": "Contoso helpdesk",
        "duration": "P730D",
        "accessDetails": roles(HELPDESK),
    }
    body.update(changes)
    return body
