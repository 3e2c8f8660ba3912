import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tenants import tokens


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person; signs in with an email address and may belong to many tenants."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    is_staff = models.BooleanField(_("support staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Raised to end every session of the account at once (tenants/credentials.py).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.email

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self):
        return self.name

    def _get_session_auth_hash(self, secret=None):
        # Django's hash over the password, plus the session generation once raised: raising
        # it signs every session of the account out (a password change already does).
        value = self.password
        if self.session_generation:
            value = f"{value}|{self.session_generation}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.name


class Tenant(models.Model):
    """An organisation. Any tenant can be a customer; it is a partner when it has a profile."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    primary_domain = models.CharField(_("primary domain"), max_length=253, blank=True)
    country = CountryField(_("country"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_partner(self) -> bool:
        """A tenant is a partner once it has a directory profile (partners.PartnerProfile)."""
        return hasattr(self, "partner_profile")


class Membership(models.Model):
    """A user in a tenant, with the directory roles the tenant gave them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    roles = models.ManyToManyField(
        "roles.RoleDefinition",
        blank=True,
        related_name="memberships",
        through="MembershipRole",
        verbose_name=_("roles"),
    )
    # Set when a partner's staff made the membership through delegated access: it then
    # never counts as the tenant's own consent and lasts only while that access does.
    delegated_partner = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made through the delegated access of"),
    )
    # Set when the customer created this account for a partner's person.
    partner_tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_user_accounts",
        verbose_name=_("partner"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user")
        ]

    def __str__(self):
        return f"{self.user} in {self.tenant}"


class MembershipRole(models.Model):
    """One role of a membership, and who gave it: the tenant's own people, or a partner's
    staff through delegated access (delegated_partner), which consent never comes from."""

    id = models.BigAutoField(primary_key=True)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE)
    roledefinition = models.ForeignKey("roles.RoleDefinition", on_delete=models.CASCADE)
    delegated_partner = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given through the delegated access of"),
    )

    class Meta:
        db_table = "tenants_membership_roles"  # the table the plain many-to-many made
        unique_together = [("membership", "roledefinition")]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self):
        return f"{self.roledefinition} of {self.membership}"


class SecurityGroup(models.Model):
    """A named set of a tenant's users; partners give GDAP roles to their staff through them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="security_groups")
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    members = models.ManyToManyField(
        User, blank=True, related_name="security_groups", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("security group")
        verbose_name_plural = _("security groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="securitygroup_unique_name")
        ]

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A personal access token: shown once, stored as a SHA-256 hash, revocable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A token bound to a tenant acts in that tenant only (others read as missing).
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tenant"),
    )
    # tenants.tokens.SCOPES; empty means the default (Liaison.ReadWrite).
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)

    def allows(self, *, surface: str, write: bool) -> bool:
        """Whether the token's scopes reach this API surface for a read or a write."""
        return tokens.allows(self.scopes, surface=surface, write=write)
