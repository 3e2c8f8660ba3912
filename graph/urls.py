"""/graph/v1.0: Microsoft Graph's paths for the partner side of GDAP (no trailing slash)."""

from django.urls import path, re_path

from graph.api import assignments, customers, relationships

R = "tenantRelationships/delegatedAdminRelationships"
C = "tenantRelationships/delegatedAdminCustomers"

urlpatterns = [
    path(R, relationships.RelationshipsView.as_view(), name="graph-relationships"),
    path(f"{R}/<str:rid>", relationships.RelationshipView.as_view(), name="graph-relationship"),
    path(f"{R}/<str:rid>/requests", relationships.RequestsView.as_view(), name="graph-requests"),
    path(
        f"{R}/<str:rid>/requests/<str:request_id>",
        relationships.RequestView.as_view(),
        name="graph-request",
    ),
    path(
        f"{R}/<str:rid>/operations",
        relationships.OperationsView.as_view(),
        name="graph-operations",
    ),
    path(
        f"{R}/<str:rid>/operations/<str:operation_id>",
        relationships.OperationView.as_view(),
        name="graph-operation",
    ),
    path(
        f"{R}/<str:rid>/accessAssignments",
        assignments.AssignmentsView.as_view(),
        name="graph-assignments",
    ),
    path(
        f"{R}/<str:rid>/accessAssignments/<str:aid>",
        assignments.AssignmentView.as_view(),
        name="graph-assignment",
    ),
    path(C, customers.CustomersView.as_view(), name="graph-customers"),
    path(f"{C}/<str:customer_id>", customers.CustomerView.as_view(), name="graph-customer"),
    path(
        f"{C}/<str:customer_id>/serviceManagementDetails",
        customers.ServiceManagementDetailsView.as_view(),
        name="graph-service-management-details",
    ),
    # Anything else: Graph's own answer for a segment it does not know.
    re_path(r"^(?P<path>.*)$", relationships.UnknownSegmentView.as_view(), name="graph-unknown"),
]
