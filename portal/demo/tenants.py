"""Demo tenants and users (seed_demo step). Writes directly: this is fixture data, not a
user's action, so it goes around the services and their permission checks on purpose."""

from django.contrib.auth.models import Group

from portal.demo import DEMO_PASSWORD
from portal.support_agents import SUPPORT_AGENT_GROUP, sync_support_agent_group
from roles.models import RoleDefinition
from tenants.models import Membership, SecurityGroup, Tenant, User

SIGN_INS = [
    ("admin@fabrikam.example", "customer Fabrikam: Global Administrator"),
    ("billing@fabrikam.example", "customer Fabrikam: Billing Administrator"),
    ("helpdesk@fabrikam.example", "customer Fabrikam: Helpdesk Administrator"),
    ("user@fabrikam.example", "customer Fabrikam: member without roles"),
    ("admin@contoso.example", "partner Contoso: Global Administrator"),
    ("agent@contoso.example", "partner Contoso: agent (Helpdesk agents group)"),
    ("support@liaison.example", "support staff, 'Support agents' group (support console)"),
]

TENANTS = {
    "fabrikam": ("Fabrikam, Inc.", "DE", "fabrikam.example"),
    "contoso": ("Contoso Ltd.", "US", "contoso.example"),
}

MEMBERS = [
    ("admin@fabrikam.example", "Alice Admin", "fabrikam", ["Global Administrator"]),
    ("billing@fabrikam.example", "Bob Billing", "fabrikam", ["Billing Administrator"]),
    ("helpdesk@fabrikam.example", "Hanna Helpdesk", "fabrikam", ["Helpdesk Administrator"]),
    ("user@fabrikam.example", "Uwe User", "fabrikam", []),
    ("admin@contoso.example", "Pat Partner", "contoso", ["Global Administrator"]),
    ("agent@contoso.example", "Andy Agent", "contoso", []),
]


def demo_user(email, name, password, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, **extra}
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def seed(command) -> None:
    tenants = {}
    for slug, (name, country, domain) in TENANTS.items():
        tenants[slug], _ = Tenant.objects.get_or_create(
            slug=slug, defaults={"name": name, "country": country, "primary_domain": domain}
        )
    roles = {r.name: r for r in RoleDefinition.objects.all()}
    for email, name, slug, role_names in MEMBERS:
        user = demo_user(email, name, DEMO_PASSWORD)
        membership, _ = Membership.objects.get_or_create(user=user, tenant=tenants[slug])
        membership.roles.set([roles[n] for n in role_names])
    group, _ = SecurityGroup.objects.get_or_create(
        tenant=tenants["contoso"],
        name="Helpdesk agents",
        defaults={"description": "Contoso staff who work in customer tenants"},
    )
    group.members.add(User.objects.get(email="agent@contoso.example"))
    # Support staff, not a superuser: the "Support agents" group says what support may do.
    support = demo_user("support@liaison.example", "Sam Support", DEMO_PASSWORD, is_staff=True)
    if support.is_superuser or not support.is_staff:
        support.is_superuser, support.is_staff = False, True
        support.save(update_fields=["is_superuser", "is_staff"])
    sync_support_agent_group()
    support.groups.add(Group.objects.get(name=SUPPORT_AGENT_GROUP))
    command.stdout.write("  tenants: Fabrikam (customer), Contoso (partner)")
