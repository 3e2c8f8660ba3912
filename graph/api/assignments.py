"""tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments.

Asynchronous where Graph is: a new assignment answers 201 with status pending, a change
of roles 202 with the operation's Location and Retry-After (200 with the assignment when
nothing changed), a removal 204 with the assignment deleting. The services carry the work
out in a task after commit (at once when Celery runs eagerly).
"""

from django.utils.translation import gettext as _

from core.errors import ValidationError
from core.scoping import get_in_tenant_or_404
from graph.api import parsing
from graph.api.base import (
    RETRY_AFTER_SECONDS,
    GraphAPIView,
    absolute,
    expected_version,
    graph_response,
    metadata_context,
    no_content,
    version_etag,
)
from graph.api.lists import collection_response, odata_page, select_only
from graph.api.relationships import relationship_or_404
from graph.api.resources import ASSIGNMENT, assignment_json
from relationships import selectors, services
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ

READ_ONLY = {"id", "status", "createdDateTime", "lastModifiedDateTime"}


def represent(assignment):
    return assignment_json(assignment, etag=version_etag(assignment))


def assignment_or_404(rel, aid):
    return get_in_tenant_or_404(
        selectors.assignments_of(rel), rel, tenant_field="relationship", pk=aid
    )


def _entity(request, assignment, *, status=200, headers=None, context):
    body = {"@odata.context": metadata_context(request, context), **represent(assignment)}
    return graph_response(
        body, status=status, headers={"ETag": body["@odata.etag"], **(headers or {})}
    )


class AssignmentsView(GraphAPIView):
    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}

    def get(self, request, rid):
        rel = relationship_or_404(self, rid)
        rows, query, token, count = odata_page(
            request, selectors.assignments_of(rel), ASSIGNMENT, scope=str(rel.pk)
        )
        return collection_response(
            request, rows, query, token, count, context="accessAssignments", represent=represent
        )

    def post(self, request, rid):
        rel = relationship_or_404(self, rid)
        body = parsing.body_of(
            request, allowed={"accessContainer", "accessDetails"}, read_only=READ_ONLY
        )
        missing = [name for name in ("accessContainer", "accessDetails") if name not in body]
        if missing:
            message = _("Required: %(names)s.") % {"names": ", ".join(missing)}
            raise ValidationError(message, errors={missing[0]: [message]})
        assignment = services.create_access_assignment(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            security_group_id=parsing.access_container_id(body["accessContainer"]),
            role_ids=parsing.role_ids(body["accessDetails"]),
            deferred=True,
        )
        # As created: pending (its task may already have run when Celery is eager).
        location = absolute(request, "graph-assignment", rel.pk, assignment.pk)
        return _entity(
            request,
            assignment,
            status=201,
            headers={"Location": location},
            context="accessAssignments",
        )


class AssignmentView(GraphAPIView):
    required = {"GET": PARTNERS_READ, "PATCH": PARTNERS_MANAGE, "DELETE": PARTNERS_MANAGE}

    def get(self, request, rid, aid):
        assignment = assignment_or_404(relationship_or_404(self, rid), aid)
        body = {
            "@odata.context": metadata_context(request, "accessAssignments/$entity"),
            **select_only(request, represent(assignment), ASSIGNMENT),
        }
        return graph_response(body, headers={"ETag": version_etag(assignment)})

    def patch(self, request, rid, aid):
        rel = relationship_or_404(self, rid)
        assignment = assignment_or_404(rel, aid)
        version = expected_version(request, assignment.pk)
        body = parsing.body_of(
            request, allowed={"accessDetails", "accessContainer"}, read_only=READ_ONLY
        )
        if "accessContainer" in body and parsing.access_container_id(
            body["accessContainer"]
        ) != str(assignment.security_group_id):
            message = _("The access container of an assignment cannot change.")
            raise ValidationError(message, errors={"access_container": [message]})
        if "accessDetails" not in body:
            message = _("Required: accessDetails.")
            raise ValidationError(message, errors={"access_details": [message]})
        _assignment, operation = services.update_access_assignment(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            assignment_id=assignment.pk,
            role_ids=parsing.role_ids(body["accessDetails"]),
            expected_version=version,
            deferred=True,
        )
        if operation is None:
            return _entity(
                request, assignment_or_404(rel, aid), context="accessAssignments/$entity"
            )
        location = absolute(request, "graph-operation", rel.pk, operation.pk)
        return graph_response(
            {},
            status=202,
            headers={"Location": location, "Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    def delete(self, request, rid, aid):
        rel = relationship_or_404(self, rid)
        assignment = assignment_or_404(rel, aid)
        services.delete_access_assignment(
            by=request.user,
            partner=self.tenant,
            relationship_id=rel.pk,
            assignment_id=assignment.pk,
            expected_version=expected_version(request, assignment.pk),
            deferred=True,
        )
        return no_content()
