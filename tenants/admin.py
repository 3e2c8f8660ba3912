from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedModelAdmin
from audit.services import record
from tenants import services
from tenants.models import ApiToken, Membership, MembershipRole, SecurityGroup, Tenant, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the new password is set
            user = self.get_object(request, id)
            services.revoke_credentials_as_support(
                by=request.user, user=user, reason="password set in admin"
            )
        return response

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = {g.name for g in user.groups.all()} if change else set()
        super().save_related(request, form, formsets, change)
        after = {g.name for g in user.groups.all()}
        if before != after:
            record(
                "auth.user_groups_changed",
                actor=request.user,
                obj=user,
                after={"added": sorted(after - before), "removed": sorted(before - after)},
            )

    def save_model(self, request, obj, form, change):
        deactivated = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivated:
            services.revoke_credentials_as_support(by=request.user, user=obj, reason="deactivated")


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "tenant"
    extra = 0
    autocomplete_fields = ["user", "partner_tenant"]
    fields = ["user", "partner_tenant", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True


@admin.register(Tenant)
class TenantAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "primary_domain", "country", "created_at"]
    list_filter = ["country", "created_at"]
    search_fields = ["name", "slug", "primary_domain", "id"]
    readonly_fields = ["id", "created_at"]
    inlines = [MembershipInline]


class MembershipRoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0
    autocomplete_fields = ["roledefinition", "delegated_partner"]
    verbose_name = _("role")
    verbose_name_plural = _("roles")


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "tenant", "partner_tenant", "role_names", "created_at"]
    list_filter = ["roles", "created_at"]
    search_fields = ["user__email", "tenant__name"]
    autocomplete_fields = ["user", "tenant", "partner_tenant", "delegated_partner"]
    inlines = [MembershipRoleInline]
    list_select_related = ["user", "tenant", "partner_tenant"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return ", ".join(r.name for r in obj.roles.all())


@admin.register(SecurityGroup)
class SecurityGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "tenant", "created_at"]
    search_fields = ["name", "tenant__name"]
    autocomplete_fields = ["tenant"]
    filter_horizontal = ["members"]
    list_select_related = ["tenant"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    list_filter = ["created_at", "revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    exclude = ["token_hash"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False


# Accounts, authenticators and Django's own groups: support staff's changes there are
# audited like every other admin change, permission changes with what was added and removed.
admin.site.unregister(Authenticator)
admin.site.unregister(EmailAddress)
admin.site.unregister(Group)


@admin.register(Authenticator)
class AuditedAuthenticatorAdmin(AuditedModelAdmin, AuthenticatorAdmin):
    pass


@admin.register(EmailAddress)
class AuditedEmailAddressAdmin(AuditedModelAdmin, EmailAddressAdmin):
    pass


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, DjangoGroupAdmin):
    def save_related(self, request, form, formsets, change):
        group = form.instance
        before = _labels(group.permissions.all()) if change else set()
        super().save_related(request, form, formsets, change)
        after = _labels(group.permissions.all())
        if before != after:
            record(
                "auth.group_permissions_changed",
                actor=request.user,
                obj=group,
                after={"added": sorted(after - before), "removed": sorted(before - after)},
            )


def _labels(permissions) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
