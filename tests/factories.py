"""factory-boy factories for the domain; personas live in conftest.py."""

import factory
from django.utils.text import slugify

from roles.models import RoleDefinition
from tenants.models import Membership, SecurityGroup, Tenant, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password("pw-Liaison-2026")


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Tenant {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    country = "DE"
    primary_domain = factory.LazyAttribute(lambda o: f"{o.slug}.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    tenant = factory.SubFactory(TenantFactory)

    @factory.post_generation
    def roles(self, create, names, **kwargs):
        """MembershipFactory(roles=["Global Administrator"]): roles by catalog name."""
        if create and names:
            self.roles.set(RoleDefinition.objects.filter(name__in=names))


class SecurityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecurityGroup
        skip_postgeneration_save = True

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Group {n}")

    @factory.post_generation
    def members(self, create, users, **kwargs):
        if create and users:
            self.members.set(users)


def member(tenant, *role_names, email=None, **kwargs) -> User:
    """A new user in tenant holding the named roles."""
    user = UserFactory(**({"email": email} if email else {}), **kwargs)
    MembershipFactory(user=user, tenant=tenant, roles=list(role_names))
    return user
