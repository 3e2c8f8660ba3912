"""Reads of support requests; each is scoped to a tenant."""

from django.db.models import Count, Prefetch, Q

from core.scoping import get_in_tenant_or_404
from support.models import SupportComment, SupportRequest


def requests_for(tenant, *, status: str = "", q: str = ""):
    """The tenant's support requests, newest first, filtered by status and text (one query)."""
    qs = (
        SupportRequest.objects.filter(tenant=tenant)
        .select_related("created_by", "acting_partner")
        .annotate(comment_count=Count("comments"))
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs.order_by("-created_at", "-pk")


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
