"""The "Support agents" group: support staff who may view everything and change little.

The demo's support account is a member (staff, not a superuser): what support can do in
the admin is exactly this list, each change through an audited service.
"""

SUPPORT_AGENT_GROUP = "Support agents"
_FORMER_NAMES = ["Support agent"]

# Change permissions support agents get beyond viewing; later features add theirs here
# (for example certifying partners), each as "app_label.codename".
SUPPORT_AGENT_CHANGES: set[str] = {
    "partners.change_partnerprofile",  # certify / revoke a partner's directory listing
    "relationships.change_invitation",  # resend / cancel an invitation
    "relationships.change_partnerrelationship",  # end types on the customer's request
    "relationships.change_endrequest",  # resolve a request to end a relationship
    "relationships.change_delegatedadminrelationship",  # terminate on the customer's request
    "relationships.change_accessassignment",  # revoke a partner group's access
    "notifications.change_outboxmessage",  # requeue mail that was not delivered
    "partners.add_industry",  # the directory's curated lists: extend and rename
    "partners.change_industry",
    "partners.add_product",
    "partners.change_product",
    "partners.add_service",
    "partners.change_service",
    "partners.add_organizationsize",
    "partners.change_organizationsize",
    "agreements.add_agreementversion",  # draft and publish the customer agreement
    "agreements.change_agreementversion",
    "billing.add_product",  # keep the product catalog
    "billing.change_product",
}


def sync_support_agent_group(**kwargs) -> None:
    """Give the group every view permission plus SUPPORT_AGENT_CHANGES; idempotent."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    # The group was called "Support agent" before: rename it, keeping its members.
    if not Group.objects.filter(name=SUPPORT_AGENT_GROUP).exists():
        Group.objects.filter(name__in=_FORMER_NAMES).update(name=SUPPORT_AGENT_GROUP)
    group, _ = Group.objects.get_or_create(name=SUPPORT_AGENT_GROUP)
    wanted = Q(codename__startswith="view_")
    for label in SUPPORT_AGENT_CHANGES:
        app_label, codename = label.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(wanted))
