"""tenantRelationships/delegatedAdminCustomers and their serviceManagementDetails.

A customer is listed while the partner has an active relationship with it (its id is its
tenant id). Its service management details are links into Liaison's pages for that
tenant, which the partner's staff open with the roles their groups hold there.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.errors import NotFound
from core.odata import parse_query
from graph.api.base import GraphAPIView, etag, graph_response, metadata_context
from graph.api.lists import collection_response, odata_page, select_only
from graph.api.resources import CUSTOMER, customer_json, service_management_detail_json
from relationships import selectors
from roles.permissions import PARTNERS_READ

# (key, name, URL name of the page): Liaison's "admin centers" for a customer tenant.
SERVICES = (
    ("home", _("Liaison"), "tenant_home"),
    ("users", _("Users"), "tenant_users"),
    ("groups", _("Security groups"), "tenant_groups"),
    ("support", _("Support requests"), "support_requests"),
    ("billing", _("Subscriptions"), "billing_subscriptions"),
    ("devices", _("Autopilot devices"), "devices"),
    ("audit", _("Audit log"), "tenant_audit"),
)


def represent(tenant):
    digest = hashlib.sha256(tenant.name.encode()).hexdigest()[:16]
    return customer_json(tenant, etag=etag(tenant.pk, digest))


def customer_or_404(view, customer_id):
    """A tenant that is the partner's customer now; NotFound otherwise (or malformed)."""
    customers = selectors.gdap_customers_of(view.tenant)
    try:
        return customers.get(pk=customer_id)
    except (customers.model.DoesNotExist, DjangoValidationError, ValueError, TypeError):
        raise NotFound() from None


class CustomersView(GraphAPIView):
    required = {"GET": PARTNERS_READ}

    def get(self, request):
        rows, query, token, count = odata_page(
            request,
            selectors.gdap_customers_of(self.tenant),
            CUSTOMER,
            scope=str(self.tenant.pk),
        )
        return collection_response(
            request,
            rows,
            query,
            token,
            count,
            context="delegatedAdminCustomers",
            represent=represent,
        )


class CustomerView(GraphAPIView):
    required = {"GET": PARTNERS_READ}

    def get(self, request, customer_id):
        customer = customer_or_404(self, customer_id)
        body = {
            "@odata.context": metadata_context(request, "delegatedAdminCustomers/$entity"),
            **select_only(request, represent(customer), CUSTOMER),
        }
        return graph_response(body)


class ServiceManagementDetailsView(GraphAPIView):
    """Links into Liaison's pages for the customer (no OData options, as in Graph)."""

    required = {"GET": PARTNERS_READ}

    def get(self, request, customer_id):
        parse_query(request.query_params, supported=())
        customer = customer_or_404(self, customer_id)
        value = [
            service_management_detail_json(
                uuid.uuid5(customer.pk, key),
                name,
                settings.SITE_URL + reverse(url_name, args=[customer.pk]),
            )
            for key, name, url_name in SERVICES
        ]
        context = f"delegatedAdminCustomers/{customer.pk}/serviceManagementDetails"
        return graph_response(
            {"@odata.context": metadata_context(request, context), "value": value}
        )
