"""tenantRelationships/delegatedAdminRelationships, with their requests and operations.

Each handler reads through relationships.selectors (the partner's own relationships only:
a customer's or another partner's id is a 404) and changes through relationships.services,
the same ones /api/v1 and the portal call.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ValidationError
from core.scoping import get_in_tenant_or_404
from graph.api import parsing
from graph.api.base import (
    RETRY_AFTER_SECONDS,
    GraphAPIView,
    absolute,
    etag,
    expected_version,
    graph_response,
    metadata_context,
    no_content,
    version_etag,
    wants_unknown_enum_members,
)
from graph.api.errors import GraphError
from graph.api.lists import collection_response, odata_page, select_only
from graph.api.resources import (
    OPERATION,
    RELATIONSHIP,
    REQUEST,
    operation_json,
    relationship_json,
    request_json,
    with_graph_status,
)
from relationships import selectors, services
from relationships.models import RelationshipRequest
from relationships.tokens import relationship_approval_url
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

EDITABLE = {"displayName", "duration", "customer", "accessDetails", "autoExtendDuration"}
READ_ONLY = {
    "id",
    "status",
    "createdDateTime",
    "lastModifiedDateTime",
    "activatedDateTime",
    "endDateTime",
}


def partner_relationships(tenant):
    """The partner's relationships, with the status clients read now (for $filter)."""
    return with_graph_status(selectors.with_status_now(selectors.relationships_of_partner(tenant)))


def relationship_or_404(view, rid):
    return get_in_tenant_or_404(
        selectors.relationships_of_partner(view.tenant), view.tenant, tenant_field="partner", pk=rid
    )


def represent_relationship(rel, at=None):
    return relationship_json(rel, at=at or timezone.now(), etag=version_etag(rel))


def _changes(body) -> dict:
    """Graph's properties -> update_relationship's keyword arguments."""
    changes = {}
    if "displayName" in body:
        changes["display_name"] = parsing.display_name(body["displayName"])
    if "duration" in body:
        changes["duration"] = parsing.duration(body["duration"], "duration")
    if "autoExtendDuration" in body:
        changes["auto_extend_duration"] = parsing.duration(
            body["autoExtendDuration"], "autoExtendDuration"
        )
    if "accessDetails" in body:
        changes["role_ids"] = parsing.role_ids(body["accessDetails"])
    if "customer" in body:
        changes["customer"] = parsing.customer(body["customer"])
    return changes


def _entity(
    request, rel, *, status=200, headers=None, context="delegatedAdminRelationships/$entity"
):
    body = {
        "@odata.context": metadata_context(request, context),
        **represent_relationship(rel),
    }
    return graph_response(
        body, status=status, headers={"ETag": body["@odata.etag"], **(headers or {})}
    )


class RelationshipsView(GraphAPIView):
    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}

    def get(self, request):
        rows, query, token, count = odata_page(
            request, partner_relationships(self.tenant), RELATIONSHIP, scope=str(self.tenant.pk)
        )
        now = timezone.now()
        return collection_response(
            request,
            rows,
            query,
            token,
            count,
            context="delegatedAdminRelationships",
            represent=lambda rel: represent_relationship(rel, now),
        )

    def post(self, request):
        body = parsing.body_of(request, allowed=EDITABLE, read_only=READ_ONLY)
        missing = [
            name for name in ("displayName", "duration", "accessDetails") if name not in body
        ]
        if missing:
            message = _("Required: %(names)s.") % {"names": ", ".join(missing)}
            raise ValidationError(message, errors={missing[0]: [message]})
        changes = _changes(body)
        rel = services.create_relationship(
            by=request.user,
            partner=self.tenant,
            display_name=changes["display_name"],
            duration=changes["duration"],
            role_ids=changes["role_ids"],
            auto_extend_duration=changes.get("auto_extend_duration", timedelta(0)),
            customer=changes.get("customer"),
        )
        rel = relationship_or_404(self, rel.pk)
        location = absolute(request, "graph-relationship", rel.pk)
        return _entity(
            request,
            rel,
            status=201,
            headers={"Location": location},
            context="delegatedAdminRelationships",
        )


class RelationshipView(GraphAPIView):
    required = {"GET": PARTNERS_READ, "PATCH": PARTNERS_MANAGE, "DELETE": PARTNERS_MANAGE}

    def get(self, request, rid):
        rel = relationship_or_404(self, rid)
        body = {
            "@odata.context": metadata_context(request, "delegatedAdminRelationships/$entity"),
            **select_only(request, represent_relationship(rel), RELATIONSHIP),
        }
        return graph_response(body, headers={"ETag": version_etag(rel)})

    def patch(self, request, rid):
        rel = relationship_or_404(self, rid)
        version = expected_version(request, rel.pk)
        body = parsing.body_of(request, allowed=EDITABLE, read_only=READ_ONLY)
        _rel, operation = services.update_relationship(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            expected_version=version,
            deferred=True,
            **_changes(body),
        )
        if operation is not None:
            location = absolute(request, "graph-operation", rel.pk, operation.pk)
            return graph_response(
                {},
                status=202,
                headers={"Location": location, "Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return _entity(request, relationship_or_404(self, rel.pk))

    def delete(self, request, rid):
        rel = relationship_or_404(self, rid)
        services.delete_relationship(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            expected_version=expected_version(request, rel.pk),
        )
        return no_content()


# Requests -----------------------------------------------------------------------------------

ACTIONS = {
    "lockForApproval": RelationshipRequest.Action.LOCK_FOR_APPROVAL,
    "terminate": RelationshipRequest.Action.TERMINATE,
}


def represent_request(row, approval_url=None):
    token = etag(row.pk, row.status, row.last_modified_at.timestamp())
    if approval_url is None and row.action == RelationshipRequest.Action.LOCK_FOR_APPROVAL:
        approval_url = relationship_approval_url(row.relationship_id)
    return request_json(row, etag=token, approval_url=approval_url)


class RequestsView(GraphAPIView):
    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}

    def get(self, request, rid):
        rel = relationship_or_404(self, rid)
        rows, query, token, count = odata_page(
            request, selectors.requests_of(rel), REQUEST, scope=str(rel.pk)
        )
        return collection_response(
            request, rows, query, token, count, context="requests", represent=represent_request
        )

    def post(self, request, rid):
        rel = relationship_or_404(self, rid)
        body = parsing.body_of(request, allowed={"action"}, read_only=READ_ONLY)
        action = body.get("action")
        if action in ("approve", "reject"):
            # Graph offers these only to an indirect reseller approving a relationship its
            # indirect provider made for it; Liaison has no indirect provider relationships.
            raise GraphError(
                _(
                    "The action '%(action)s' is for an indirect reseller approving a "
                    "relationship its indirect provider created. Liaison has no such "
                    "relationships: the customer approves in the portal."
                )
                % {"action": action},
                graph_code="notSupported",
            )
        if action not in ACTIONS:
            message = _("The action is lockForApproval or terminate.")
            raise ValidationError(message, errors={"action": [message]})
        result = services.submit_request(
            by=request.user, tenant=self.tenant, relationship_id=rel.pk, action=ACTIONS[action]
        )
        row = result.request
        location = absolute(request, "graph-request", rel.pk, row.pk)
        body = {"@odata.context": metadata_context(request, "requests"), **represent_request(row)}
        return graph_response(body, status=201, headers={"Location": location})


class RequestView(GraphAPIView):
    required = {"GET": PARTNERS_READ}

    def get(self, request, rid, request_id):
        rel = relationship_or_404(self, rid)
        row = get_in_tenant_or_404(
            selectors.requests_of(rel), rel, tenant_field="relationship", pk=request_id
        )
        body = {
            "@odata.context": metadata_context(request, "requests/$entity"),
            **select_only(request, represent_request(row), REQUEST),
        }
        return graph_response(body)


# Operations ---------------------------------------------------------------------------------


def represent_operation(operation, request):
    return operation_json(
        operation,
        etag=etag(operation.pk, operation.status, operation.last_modified_at.timestamp()),
        include_evolvable=wants_unknown_enum_members(request),
    )


class OperationsView(GraphAPIView):
    required = {"GET": PARTNERS_READ}

    def get(self, request, rid):
        rel = relationship_or_404(self, rid)
        rows, query, token, count = odata_page(
            request, selectors.operations_of(rel), OPERATION, scope=str(rel.pk)
        )
        return collection_response(
            request,
            rows,
            query,
            token,
            count,
            context="operations",
            represent=lambda operation: represent_operation(operation, request),
        )


class OperationView(GraphAPIView):
    required = {"GET": PARTNERS_READ}

    def get(self, request, rid, operation_id):
        rel = relationship_or_404(self, rid)
        operation = get_in_tenant_or_404(
            selectors.operations_of(rel), rel, tenant_field="relationship", pk=operation_id
        )
        body = {
            "@odata.context": metadata_context(request, "operations/$entity"),
            **select_only(request, represent_operation(operation, request), OPERATION),
        }
        return graph_response(body)


class UnknownSegmentView(GraphAPIView):
    """Anything else under /graph/v1.0: Graph's 400 for a path it does not know."""

    required = {"GET": None, "POST": None, "PATCH": None, "PUT": None, "DELETE": None}

    def _refuse(self, request, path=""):
        segment = (path or "").split("/")[0] or "v1.0"
        raise GraphError(
            _("Resource not found for the segment '%(segment)s'.") % {"segment": segment[:100]},
            graph_code="BadRequest",
        )

    get = post = patch = put = delete = _refuse
