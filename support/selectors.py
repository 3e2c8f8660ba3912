"""Reads of support requests; each is scoped to a tenant."""

from django.db.models import Count, Prefetch

from core.scoping import get_in_tenant_or_404
from support.models import SupportComment, SupportRequest


def requests_for(tenant):
    """The tenant's support requests, newest first (support.filters narrows; one query)."""
    return (
        SupportRequest.objects.filter(tenant=tenant)
        .select_related("created_by", "acting_partner")
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-pk")
    )


def get_request_or_404(tenant, request_id) -> SupportRequest:
    """One support request of tenant with its comment thread (two queries)."""
    comments = SupportComment.objects.select_related("author", "acting_partner").order_by(
        "created_at", "pk"
    )
    return get_in_tenant_or_404(
        SupportRequest.objects.select_related("created_by", "closed_by", "acting_partner")
        .annotate(comment_count=Count("comments"))
        .prefetch_related(Prefetch("comments", queryset=comments)),
        tenant,
        pk=request_id,
    )
