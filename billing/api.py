"""REST endpoints: the product catalog, a tenant's subscriptions and billing settings."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import selectors, services
from billing.filters import SubscriptionFilter
from billing.models import Product, Subscription
from core.api import (
    NOT_FOUND_EXAMPLE,
    Pagination,
    TenantAPIView,
    api_schema,
    error_example,
    paginate,
    tenant_schema,
    validated,
)
from core.filters import filter_or_400
from core.serializers import TenantRefSerializer, UserRefSerializer, ref
from roles import permissions as p

READ_PERMS = (
    p.BILLING_READ,
    p.SUBSCRIPTIONS_RESELL,
    p.SUBSCRIPTIONS_RESELL_OWN,
    p.PURCHASES_MPSA_READ,
)
WRITE_PERMS = (
    p.BILLING_MANAGE,
    p.SUBSCRIPTIONS_RESELL,
    p.SUBSCRIPTIONS_RESELL_OWN,
    p.SUBSCRIPTIONS_MPSA,
)

PRODUCT_EXAMPLE = {
    "id": "0b9f5a57-6c1e-5d2e-9f0e-3f2f7f1f3c11",
    "sku": "M365-BP-M",
    "name": "Microsoft 365 Business Premium",
    "summary": "Business Standard plus Intune, Entra ID P1 and Defender for Business.",
    "unit_price": "26.40",
    "currency": "USD",
    "term": "monthly",
}
SUBSCRIPTION_EXAMPLE = {
    "id": "5d0f3a52-2b8e-4c39-8a55-0c1f3a7b9e21",
    "product": PRODUCT_EXAMPLE,
    "quantity": 25,
    "status": "active",
    "channel": "reseller",
    "partner": {"tenant_id": "8c7e1d2a-4b3f-4e5d-9a6b-7c8d9e0f1a2b", "name": "Contoso Ltd."},
    "bought_by": {"id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "email": "pat@contoso.example"},
    "bought_at": "2026-03-02T09:30:00Z",
    "renewal_date": "2026-04-02",
    "cancelled_at": None,
}
AGREEMENT_REQUIRED_EXAMPLE = error_example(
    "Customer has not accepted the newest agreement",
    status=409,
    code="agreement_required",
    detail="The customer must accept the customer agreement first.",
)
BAD_QUANTITY_EXAMPLE = error_example(
    "Quantity out of range",
    status=400,
    code="invalid",
    detail="quantity: Ensure this value is greater than or equal to 1.",
    errors={"quantity": ["Ensure this value is greater than or equal to 1."]},
)


CONFLICTS = {
    409: "agreement_required (partners, before the customer accepted the newest agreement) "
    "or invalid_state (a move the status does not allow)"
}


class BillingProductSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    sku = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()
    term = serializers.ChoiceField(choices=Product.Term.choices)


BillingPartnerRefSerializer = ref(TenantRefSerializer, "BillingPartnerRef")


BillingUserRefSerializer = ref(UserRefSerializer, "BillingUserRef")


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    product = BillingProductSerializer()
    quantity = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Subscription.Status.choices)
    channel = serializers.ChoiceField(choices=Subscription.Channel.choices)
    partner = BillingPartnerRefSerializer(allow_null=True)
    bought_by = BillingUserRefSerializer(allow_null=True)
    bought_at = serializers.DateTimeField()
    renewal_date = serializers.DateField()
    cancelled_at = serializers.DateTimeField(allow_null=True)


class BillingSettingsSerializer(serializers.Serializer):
    mpsa_share_purchases = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)


class ProductsView(APIView):
    """Signed in; not tenant-scoped: the catalog is the same for everyone."""

    pagination_class = Pagination

    @api_schema(
        page_of=BillingProductSerializer,
        summary="The product catalog (products on sale), by name",
        examples=[OpenApiExample("A product", value=PRODUCT_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        return paginate(self, selectors.products(), BillingProductSerializer)


class SubscriptionsView(TenantAPIView):
    required = {"GET": READ_PERMS, "POST": WRITE_PERMS}

    class SubscriptionCreateInputSerializer(serializers.Serializer):
        product_id = serializers.UUIDField()
        quantity = serializers.IntegerField(min_value=1, max_value=services.MAX_QUANTITY)
        partner_tenant_id = serializers.UUIDField(required=False, allow_null=True)

    @tenant_schema(
        parameters=[OpenApiParameter("status", str, enum=list(Subscription.Status.values))],
        page_of=SubscriptionSerializer,
        summary="Subscriptions of the tenant the caller may see, newest first",
        description=(
            "Members with billing.read and resellers see every subscription; an indirect "
            "reseller sees those bought through it; an MPSA partner those bought through it, "
            "and every MPSA purchase while the tenant's mpsa_share_purchases is on."
        ),
        examples=[OpenApiExample("A subscription", value=SUBSCRIPTION_EXAMPLE, response_only=True)],
    )
    def get(self, request, tid):
        subscriptions = selectors.subscriptions_for(self.tenant, self.access)
        rows = filter_or_400(SubscriptionFilter, request.query_params, subscriptions)
        return paginate(self, rows, SubscriptionSerializer)

    @tenant_schema(
        request=SubscriptionCreateInputSerializer,
        responses={201: SubscriptionSerializer},
        errors={404: "partner_tenant_id names no partner the caller can buy through", **CONFLICTS},
        summary="Buy a subscription",
        description=(
            "A member with billing.manage buys directly (or, naming one of the tenant's MPSA "
            "partners as partner_tenant_id, through it). A reseller's or indirect reseller's "
            "manager buys on the customer's behalf; partner_tenant_id is needed only when "
            "the caller acts for several partners here. Partner purchases answer 409 "
            "agreement_required until the customer accepted the newest customer agreement. "
            "A partner_tenant_id the caller cannot buy through answers 404."
        ),
        examples=[
            OpenApiExample(
                "A reseller buys 25 licences",
                value={"product_id": PRODUCT_EXAMPLE["id"], "quantity": 25},
                request_only=True,
            ),
            OpenApiExample("Bought", value=SUBSCRIPTION_EXAMPLE, response_only=True),
            AGREEMENT_REQUIRED_EXAMPLE,
            BAD_QUANTITY_EXAMPLE,
        ],
    )
    def post(self, request, tid):
        data = validated(self.SubscriptionCreateInputSerializer, request)
        subscription = services.buy(
            by=request.user,
            tenant=self.tenant,
            product_id=data["product_id"],
            quantity=data["quantity"],
            partner_tenant_id=data.get("partner_tenant_id"),
        )
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(TenantAPIView):
    required = {"PATCH": WRITE_PERMS}

    class SubscriptionUpdateInputSerializer(serializers.Serializer):
        quantity = serializers.IntegerField(
            min_value=1, max_value=services.MAX_QUANTITY, required=False
        )
        status = serializers.ChoiceField(
            choices=[
                Subscription.Status.ACTIVE,
                Subscription.Status.SUSPENDED,
                Subscription.Status.CANCELLED,
            ],
            required=False,
        )
        partner_tenant_id = serializers.UUIDField(required=False, allow_null=True)

        def validate(self, attrs):
            if ("quantity" in attrs) == ("status" in attrs):
                raise serializers.ValidationError("Send either quantity or status.")
            return attrs

    @tenant_schema(
        request=SubscriptionUpdateInputSerializer,
        responses=SubscriptionSerializer,
        errors=CONFLICTS,
        summary="Change a subscription's quantity, or cancel, suspend or reactivate it",
        description=(
            "Send either {quantity} (active subscriptions only) or {status}. Suspending and "
            "reactivating are the customer's (billing.manage); resellers change and cancel "
            "any subscription, an indirect reseller only those bought through it (others "
            "answer 404). Setting the status it already has changes nothing. Partners need "
            "the customer's acceptance of the newest agreement (409 agreement_required); a "
            "move the status does not allow answers 409 invalid_state."
        ),
        examples=[
            OpenApiExample("Change the quantity", value={"quantity": 30}, request_only=True),
            OpenApiExample("Cancel", value={"status": "cancelled"}, request_only=True),
            OpenApiExample(
                "Changed", value={**SUBSCRIPTION_EXAMPLE, "quantity": 30}, response_only=True
            ),
            AGREEMENT_REQUIRED_EXAMPLE,
            NOT_FOUND_EXAMPLE,
        ],
    )
    def patch(self, request, tid, sid):
        data = validated(self.SubscriptionUpdateInputSerializer, request)
        common = {
            "by": request.user,
            "tenant": self.tenant,
            "subscription_id": sid,
            "partner_tenant_id": data.get("partner_tenant_id"),
        }
        if "quantity" in data:
            services.change_quantity(quantity=data["quantity"], **common)
        else:
            services.set_status(status=data["status"], **common)
        subscription = selectors.get_subscription_or_404(self.tenant, self.access, sid)
        return Response(SubscriptionSerializer(subscription).data)


class BillingSettingsView(TenantAPIView):
    required = {"GET": p.BILLING_READ, "PATCH": p.BILLING_MANAGE}

    class BillingSettingsInputSerializer(serializers.Serializer):
        mpsa_share_purchases = serializers.BooleanField()

    @tenant_schema(
        responses=BillingSettingsSerializer,
        summary="The tenant's billing settings",
        examples=[
            OpenApiExample(
                "Defaults",
                value={"mpsa_share_purchases": False, "updated_at": None},
                response_only=True,
            )
        ],
    )
    def get(self, request, tid):
        return Response(BillingSettingsSerializer(selectors.settings_for(self.tenant)).data)

    @tenant_schema(
        request=BillingSettingsInputSerializer,
        responses=BillingSettingsSerializer,
        summary="Change the tenant's billing settings",
        description=(
            "mpsa_share_purchases on: each of the tenant's MPSA partners sees the purchases "
            "made through any of them; off (the default): each sees only its own."
        ),
        examples=[
            OpenApiExample(
                "Let MPSA partners see each other's purchases",
                value={"mpsa_share_purchases": True},
                request_only=True,
            ),
            OpenApiExample(
                "Changed",
                value={"mpsa_share_purchases": True, "updated_at": "2026-03-02T09:30:00Z"},
                response_only=True,
            ),
        ],
    )
    def patch(self, request, tid):
        data = validated(self.BillingSettingsInputSerializer, request)
        row = services.set_mpsa_sharing(
            by=request.user, tenant=self.tenant, on=data["mpsa_share_purchases"]
        )
        return Response(BillingSettingsSerializer(row).data)
