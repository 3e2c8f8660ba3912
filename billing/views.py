"""HTML pages: the customer's billing page (subscriptions with a details pane, buy, change,
cancel, suspend, the MPSA setting) and the partner's page per customer (buy and manage on
the customer's behalf). Reads go through selectors, writes through services."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import selectors as agreement_selectors
from billing import forms, selectors, services
from billing.models import Subscription
from core.errors import InvalidState, PermissionDenied, ValidationError
from core.paging import Paginator
from core.views import TenantView, fragment_wanted, vary_on_htmx
from roles import access
from roles import permissions as p
from tenants.models import Tenant

PER_PAGE = 25


# Customer side ---------------------------------------------------------------------------


class BillingView(TenantView):
    """The tenant's subscriptions; with `sid`, the same page with that subscription's pane."""

    required = {"GET": p.BILLING_READ}
    template_name = "billing/subscriptions.html"

    def get(self, request, tid, sid=None):
        return billing_page(self, sid)


def _mpsa_partners(tenant) -> list:
    ids = selectors.mpsa_partner_ids(tenant)
    return list(Tenant.objects.filter(pk__in=ids).order_by("name")) if ids else []


def billing_page(view, sid=None, *, buy_form=None, quantity_form=None, status=200):
    """The list page (or, for htmx, the pane fragment) with `sid`'s pane open."""
    request, tenant = view.request, view.tenant
    can_manage = view.access.has(p.BILLING_MANAGE)
    selected = selectors.get_subscription_or_404(tenant, view.access, sid) if sid else None
    pane = {}
    if selected:
        events = services.allowed_events(selected)
        pane = {
            "subscription": selected,
            "quantity_form": quantity_form
            or forms.QuantityForm(initial={"quantity": selected.quantity}),
            "can_change": can_manage and selected.status == Subscription.Status.ACTIVE,
            "can_cancel": can_manage and "cancel" in events,
            "can_suspend": can_manage and "suspend" in events,
            "can_reactivate": can_manage and "reactivate" in events,
        }
    if selected and fragment_wanted(request) and request.htmx.target == "pane":
        context = view.get_context_data(**pane)
        return vary_on_htmx(
            TemplateResponse(request, "billing/_subscription_pane.html", context, status=status)
        )
    rows = selectors.subscriptions_for(tenant, view.access)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    if can_manage and buy_form is None:
        buy_form = forms.BuyForm(
            products=selectors.products(), mpsa_partners=_mpsa_partners(tenant)
        )
    settings_row = selectors.settings_for(tenant)
    context = view.get_context_data(
        page=page,
        selected=selected,
        can_manage=can_manage,
        buy_form=buy_form if can_manage else None,
        settings_form=forms.MpsaSharingForm(
            initial={"mpsa_share_purchases": settings_row.mpsa_share_purchases}
        ),
        mpsa_sharing=settings_row.mpsa_share_purchases,
        **pane,
    )
    return vary_on_htmx(
        TemplateResponse(request, BillingView.template_name, context, status=status)
    )


class BuyView(TenantView):
    """POST the buy form; errors re-render the billing page next to the fields."""

    required = {"POST": p.BILLING_MANAGE}

    def post(self, request, tid):
        form = forms.BuyForm(
            request.POST,
            products=selectors.products(),
            mpsa_partners=_mpsa_partners(self.tenant),
        )
        if form.is_valid():
            try:
                subscription = services.buy(
                    by=request.user,
                    tenant=self.tenant,
                    product_id=form.cleaned_data["product"].pk,
                    quantity=form.cleaned_data["quantity"],
                    partner_tenant_id=form.cleaned_data.get("through") or None,
                )
            except (ValidationError, InvalidState) as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Bought %(quantity)d licences of %(product)s.")
                    % {"quantity": subscription.quantity, "product": subscription.product.name},
                )
                return redirect("billing_subscription", tid=self.tenant.pk, sid=subscription.pk)
        return billing_page(self, buy_form=form, status=400)


class QuantityView(TenantView):
    required = {"POST": p.BILLING_MANAGE}

    def post(self, request, tid, sid):
        subscription = selectors.get_subscription_or_404(self.tenant, self.access, sid)
        form = forms.QuantityForm(request.POST)
        if form.is_valid():
            try:
                services.change_quantity(
                    by=request.user,
                    tenant=self.tenant,
                    subscription_id=subscription.pk,
                    quantity=form.cleaned_data["quantity"],
                )
            except (ValidationError, InvalidState) as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(product)s now has %(quantity)d licences.")
                    % {
                        "product": subscription.product.name,
                        "quantity": form.cleaned_data["quantity"],
                    },
                )
                return redirect("billing_subscription", tid=self.tenant.pk, sid=subscription.pk)
        return billing_page(self, subscription.pk, quantity_form=form, status=400)


class _MoveView(TenantView):
    """POST a move (cancel, suspend, reactivate); a move the status forbids reads as a message."""

    required = {"POST": p.BILLING_MANAGE}
    service = None
    done_message = ""

    def post(self, request, tid, sid):
        subscription = selectors.get_subscription_or_404(self.tenant, self.access, sid)
        try:
            self.service(by=request.user, tenant=self.tenant, subscription_id=subscription.pk)
        except InvalidState as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, self.done_message % {"product": subscription.product.name})
        return redirect("billing_subscription", tid=self.tenant.pk, sid=subscription.pk)


class CancelView(_MoveView):
    """GET: the no-JS confirmation page; POST: cancel."""

    required = {"GET": p.BILLING_MANAGE, "POST": p.BILLING_MANAGE}
    service = staticmethod(services.cancel)
    done_message = gettext_lazy("%(product)s is cancelled.")

    def get(self, request, tid, sid):
        subscription = selectors.get_subscription_or_404(self.tenant, self.access, sid)
        context = self.get_context_data(
            subscription=subscription,
            action_url=reverse(
                "billing_subscription_cancel", args=[self.tenant.pk, subscription.pk]
            ),
            back_url=reverse("billing_subscription", args=[self.tenant.pk, subscription.pk]),
        )
        return TemplateResponse(request, "billing/cancel.html", context)


class SuspendView(_MoveView):
    service = staticmethod(services.suspend)
    done_message = gettext_lazy("%(product)s is suspended.")


class ReactivateView(_MoveView):
    service = staticmethod(services.reactivate)
    done_message = gettext_lazy("%(product)s is active again.")


class SettingsView(TenantView):
    """POST the MPSA sharing switch."""

    required = {"POST": p.BILLING_MANAGE}

    def post(self, request, tid):
        form = forms.MpsaSharingForm(request.POST)
        form.is_valid()  # a boolean field: always valid
        on = bool(form.cleaned_data.get("mpsa_share_purchases"))
        services.set_mpsa_sharing(by=request.user, tenant=self.tenant, on=on)
        if on:
            messages.success(request, _("Your MPSA partners now see each other's purchases."))
        else:
            messages.success(request, _("Each MPSA partner now sees only its own purchases."))
        return redirect("billing_subscriptions", tid=self.tenant.pk)


# Partner side: the partner's own tenant, one customer -----------------------------------


class _PartnerCustomerView(TenantView):
    """Base of the partner's pages about one customer: 404 unless it is a customer of this
    partner; the capabilities come from the resolver in the customer's tenant."""

    def customer_context(self, customer_id):
        relationship = selectors.customer_relationship_or_404(self.tenant, customer_id)
        customer = relationship.customer
        customer_access = access.resolve(self.request.user, customer)
        pid = self.tenant.pk
        resell = pid in customer_access.capability_partners(p.SUBSCRIPTIONS_RESELL)
        own = pid in customer_access.capability_partners(p.SUBSCRIPTIONS_RESELL_OWN)
        mpsa = pid in customer_access.capability_partners(p.PURCHASES_MPSA_READ)
        mpsa_buy = pid in customer_access.capability_partners(p.SUBSCRIPTIONS_MPSA)
        if not (resell or own or mpsa):
            raise PermissionDenied(
                _(
                    "Your organisation's relationship with %(customer)s does not include its "
                    "subscriptions, or your role here does not let you act for it (ask a "
                    "Global or Billing Administrator of your organisation)."
                )
                % {"customer": customer.name}
            )
        self.customer = customer
        self.customer_access = customer_access
        self.can_buy = resell or own or mpsa_buy
        self.manages_all = resell
        return relationship

    def may_manage(self, subscription) -> bool:
        if not self.can_buy:
            return False
        return self.manages_all or subscription.partner_id == self.tenant.pk

    def render_page(self, *, buy_form=None, agreement_error=False, status=200):
        rows = selectors.subscriptions_for(
            self.customer, self.customer_access, as_partner=self.tenant.pk
        )
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page"))
        accepted = agreement_selectors.has_accepted(self.customer)
        if self.can_buy and buy_form is None:
            buy_form = forms.BuyForm(products=selectors.products())
        context = self.get_context_data(
            customer=self.customer,
            page=page,
            rows=[
                {
                    "subscription": s,
                    "dialog_suffix": str(s.pk),
                    "can_manage": accepted
                    and self.may_manage(s)
                    and s.status != Subscription.Status.CANCELLED,
                    "can_change": accepted
                    and self.may_manage(s)
                    and s.status == Subscription.Status.ACTIVE,
                }
                for s in page.object_list
            ],
            agreement_accepted=accepted,
            agreement_error=agreement_error,
            can_buy=self.can_buy,
            manages_all=self.manages_all,
            buy_form=buy_form if self.can_buy else None,
        )
        return TemplateResponse(
            self.request, "billing/partner_customer_subscriptions.html", context, status=status
        )


class PartnerCustomerSubscriptionsView(_PartnerCustomerView):
    """GET: the customer's subscriptions this partner sees; POST: buy for the customer."""

    required = {"GET": p.PARTNERS_READ, "POST": p.PARTNERS_MANAGE}

    def get(self, request, tid, customer_id):
        self.customer_context(customer_id)
        return self.render_page()

    def post(self, request, tid, customer_id):
        self.customer_context(customer_id)
        if not self.can_buy:
            raise PermissionDenied(_("Your relationship with this customer does not allow buying."))
        form = forms.BuyForm(request.POST, products=selectors.products())
        if form.is_valid():
            try:
                subscription = services.buy(
                    by=request.user,
                    tenant=self.customer,
                    product_id=form.cleaned_data["product"].pk,
                    quantity=form.cleaned_data["quantity"],
                    partner_tenant_id=self.tenant.pk,
                )
            except InvalidState as exc:
                if exc.code == "agreement_required":
                    return self.render_page(buy_form=form, agreement_error=True, status=409)
                forms.apply_domain_error(form, exc)
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Bought %(quantity)d licences of %(product)s for %(customer)s.")
                    % {
                        "quantity": subscription.quantity,
                        "product": subscription.product.name,
                        "customer": self.customer.name,
                    },
                )
                return redirect(
                    "partner_customer_subscriptions", tid=self.tenant.pk, customer_id=customer_id
                )
        return self.render_page(buy_form=form, status=400)


class PartnerQuantityView(_PartnerCustomerView):
    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid, customer_id, sid):
        self.customer_context(customer_id)
        form = forms.QuantityForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(form.errors.get("quantity", [])))
        else:
            try:
                subscription = services.change_quantity(
                    by=request.user,
                    tenant=self.customer,
                    subscription_id=sid,
                    quantity=form.cleaned_data["quantity"],
                    partner_tenant_id=self.tenant.pk,
                )
            except (ValidationError, InvalidState) as exc:
                messages.error(request, exc.detail)
            else:
                messages.success(
                    request,
                    _("%(product)s now has %(quantity)d licences.")
                    % {"product": subscription.product.name, "quantity": subscription.quantity},
                )
        return redirect(
            "partner_customer_subscriptions", tid=self.tenant.pk, customer_id=customer_id
        )


class PartnerCancelView(_PartnerCustomerView):
    """GET: the no-JS confirmation page; POST: cancel on the customer's behalf."""

    required = {"GET": p.PARTNERS_MANAGE, "POST": p.PARTNERS_MANAGE}

    def get(self, request, tid, customer_id, sid):
        self.customer_context(customer_id)
        subscription = selectors.get_subscription_or_404(
            self.customer, self.customer_access, sid, as_partner=self.tenant.pk
        )
        args = [self.tenant.pk, self.customer.pk]
        context = self.get_context_data(
            customer=self.customer,
            subscription=subscription,
            action_url=reverse(
                "partner_customer_subscription_cancel", args=[*args, subscription.pk]
            ),
            back_url=reverse("partner_customer_subscriptions", args=args),
        )
        return TemplateResponse(request, "billing/cancel.html", context)

    def post(self, request, tid, customer_id, sid):
        self.customer_context(customer_id)
        try:
            subscription = services.cancel(
                by=request.user,
                tenant=self.customer,
                subscription_id=sid,
                partner_tenant_id=self.tenant.pk,
            )
        except InvalidState as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request, _("%(product)s is cancelled.") % {"product": subscription.product.name}
            )
        return redirect(
            "partner_customer_subscriptions", tid=self.tenant.pk, customer_id=customer_id
        )
