"""Customer-side pages: partner relationships (pane, remove roles, ask to end), the
customer agreement, invitations received."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import selectors as agreement_selectors
from agreements.models import AgreementAcceptance
from audit.models import AuditEvent
from relationships import services
from relationships.models import DelegatedAdminRelationship, EndRequest, PartnerRelationship
from roles import access
from tests.factories import TenantFactory
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.partners.conftest import make_listing

pytestmark = pytest.mark.django_db


def settings_url(tenant, rest="partners/"):
    return f"/t/{tenant.pk}/settings/{rest}"


@pytest.fixture
def relationship(customer, partner_tenant, partner_profile):
    """Contoso works with Fabrikam (GDAP and reseller) and holds Helpdesk Administrator."""
    rel = PartnerRelationship.objects.create(
        customer=customer, partner=partner_tenant, types=["gdap", "reseller"]
    )
    DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        display_name="Contoso helpdesk",
        roles=["Helpdesk Administrator"],
    )
    return rel


# The list and the pane -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["customer_admin", "billing_admin"])
def test_admins_see_the_partner_relationships(client_as, request, customer, relationship, persona):
    response = client_as(request.getfixturevalue(persona)).get(settings_url(customer))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Contoso" in html and "Reseller" in html
    assert "Helpdesk Administrator" in html and "Contoso helpdesk" in html
    assert "Not accepted" in html


def test_plain_member_gets_403(client_as, plain_member, customer, relationship):
    client = client_as(plain_member)
    assert client.get(settings_url(customer)).status_code == 403
    assert client.get(settings_url(customer, "agreement/")).status_code == 403
    assert client.get(settings_url(customer, "invitations/")).status_code == 403


def test_outsider_gets_404(client_as, outsider_admin, customer, partner_tenant, relationship):
    client = client_as(outsider_admin)
    for rest in ("partners/", f"partners/{partner_tenant.pk}/", "agreement/", "invitations/"):
        assert client.get(settings_url(customer, rest)).status_code == 404
    assert (
        client.post(settings_url(customer, f"partners/{partner_tenant.pk}/remove-roles/"))
    ).status_code == 404


def test_a_partner_without_a_relationship_is_404(client_as, customer_admin, customer, outsider):
    response = client_as(customer_admin).get(settings_url(customer, f"partners/{outsider.pk}/"))
    assert response.status_code == 404
    response = client_as(customer_admin).get(settings_url(customer, "partners/not-a-uuid/"))
    assert response.status_code == 404


def test_new_partner_is_highlighted(
    client_as, customer_admin, customer, partner_tenant, relationship
):
    response = client_as(customer_admin).get(settings_url(customer) + f"?new={partner_tenant.pk}")

    assert response.status_code == 200
    assert 'class=" is-new"' in response.content.decode()


def test_pane_shows_types_roles_and_history(
    client_as, customer_admin, customer, partner_tenant, relationship
):
    client = client_as(customer_admin)
    url = settings_url(customer, f"partners/{partner_tenant.pk}/")

    full = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    assert full.status_code == 200 and fragment.status_code == 200
    assert "<html" in full.content.decode() and "<html" not in fragment.content.decode()
    html = fragment.content.decode()
    assert 'id="pane-title"' in html
    assert "Purchases on the tenant&#x27;s behalf" in html  # what reseller unlocks
    assert "Helpdesk Administrator" in html and "GDAP" in html
    assert "Remove roles?" in html and '<dialog class="confirm" id="remove-roles"' in html
    assert ">Yes<" in html and ">No<" in html
    assert "Ask to end" in html


def test_pane_history_comes_from_the_audit_log(
    client_as, customer_admin, customer, partner_admin, partner_tenant, partner_profile
):
    _inv, raw = services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email=customer_admin.email,
        relationship_types=["reseller"],
    )
    services.accept_invitation(by=customer_admin, token=raw, tenant=customer, accept_agreement=True)

    response = client_as(customer_admin).get(
        settings_url(customer, f"partners/{partner_tenant.pk}/")
    )

    html = response.content.decode()
    accepted, sent = "Accepted the invitation of Contoso", "Invited alice@fabrikam.example"
    assert accepted in html and sent in html  # sentences (tests/audit/test_activity_log.py)
    assert html.index(accepted) < html.index(sent)  # newest first


def test_billing_admin_without_roles_of_the_partner_sees_why(
    client_as, billing_admin, customer, partner_tenant, partner_profile
):
    PartnerRelationship.objects.create(
        customer=customer, partner=partner_tenant, types=["reseller"]
    )

    response = client_as(billing_admin).get(
        settings_url(customer, f"partners/{partner_tenant.pk}/")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "holds no admin roles in your tenant" in html
    assert "Remove roles?" not in html and "remove-roles/" not in html


def test_global_reader_sees_no_actions(client_as, customer, partner_tenant, relationship):
    from tests.factories import member

    reader = member(customer, "Global Reader", email="gina@fabrikam.example")

    response = client_as(reader).get(settings_url(customer, f"partners/{partner_tenant.pk}/"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove roles?" not in html and "ask-to-end/" not in html
    assert (
        client_as(reader)
        .post(settings_url(customer, f"partners/{partner_tenant.pk}/remove-roles/"))
        .status_code
        == 403
    )


def test_list_queries_do_not_grow(
    client_as, customer_admin, customer, django_assert_max_num_queries
):
    client = client_as(customer_admin)

    def add(n):
        for i in range(n):
            partner = TenantFactory()
            make_listing(
                f"Partner {partner.pk.hex[:6]} {i}", tenant=partner, relationship_types=["gdap"]
            )
            PartnerRelationship.objects.create(customer=customer, partner=partner, types=["gdap"])
            DelegatedAdminRelationshipFactory(
                partner=partner,
                customer=customer,
                roles=["Helpdesk Administrator", "User Administrator"],
            )

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    few = count(settings_url(customer))
    few_received = count(settings_url(customer, "invitations/"))
    add(9)
    assert count(settings_url(customer)) == few
    assert count(settings_url(customer, "invitations/")) == few_received
    with django_assert_max_num_queries(few):
        client.get(settings_url(customer))


# Remove roles and ask to end -----------------------------------------------------------------


def test_remove_roles_through_the_page(
    client_as,
    customer_admin,
    customer,
    partner_tenant,
    relationship,
    django_capture_on_commit_callbacks,
):
    client = client_as(customer_admin)
    url = settings_url(customer, f"partners/{partner_tenant.pk}/remove-roles/")

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Remove roles?" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == settings_url(customer, f"partners/{partner_tenant.pk}/")
    relationship.refresh_from_db()
    assert relationship.types == ["gdap", "reseller"]  # the relationship stays
    assert not DelegatedAdminRelationship.objects.filter(
        customer=customer, status=DelegatedAdminRelationship.Status.ACTIVE
    ).exists()
    assert AuditEvent.objects.filter(action="partner.roles_removed").count() == 1
    access.forget()
    page = client.get(response["Location"]).content.decode()
    assert "no longer holds admin roles" in page
    assert "holds no admin roles in your tenant" in page


def test_remove_roles_twice_is_a_message_not_an_error(
    client_as, customer_admin, customer, partner_tenant, relationship
):
    client = client_as(customer_admin)
    url = settings_url(customer, f"partners/{partner_tenant.pk}/remove-roles/")
    client.post(url)

    response = client.post(
        url,
        headers={"referer": settings_url(customer, f"partners/{partner_tenant.pk}/")},
        follow=True,
    )

    assert response.status_code == 200
    assert "holds no admin roles" in response.content.decode()


def test_plain_member_cannot_remove_roles(
    client_as, plain_member, customer, partner_tenant, relationship
):
    url = settings_url(customer, f"partners/{partner_tenant.pk}/remove-roles/")

    assert client_as(plain_member).post(url).status_code == 403
    assert DelegatedAdminRelationship.objects.filter(
        status=DelegatedAdminRelationship.Status.ACTIVE
    ).exists()


def test_ask_to_end(
    client_as,
    customer_admin,
    customer,
    partner_tenant,
    partner_admin,
    relationship,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = client_as(customer_admin)
    url = settings_url(customer, f"partners/{partner_tenant.pk}/ask-to-end/")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "We are moving to another provider."})

    assert response.status_code == 302
    request = EndRequest.objects.get()
    assert request.message == "We are moving to another provider."
    assert request.status == EndRequest.Status.OPEN
    assert any(partner_admin.email in m.to for m in mailoutbox)
    pane = client.get(response["Location"]).content.decode()
    assert "You asked to end this relationship" in pane and "ask-to-end/" not in pane
    # Asking again is refused with a message.
    again = client.post(
        url, {"message": "again"}, headers={"referer": response["Location"]}, follow=True
    )
    assert "already asked" in again.content.decode()
    assert EndRequest.objects.count() == 1


# The customer agreement ----------------------------------------------------------------------


def test_accept_the_agreement_page(client_as, customer_admin, customer):
    client = client_as(customer_admin)
    url = settings_url(customer, "agreement/")
    version = agreement_selectors.current_version()

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert version.title in html and f"/agreements/{version.version}/" in html
    assert 'name="attest"' in html

    refused = client.post(url, {"version": version.version})
    assert refused.status_code == 400 and "Tick the box to confirm." in refused.content.decode()
    assert not AgreementAcceptance.objects.exists()

    response = client.post(url, {"version": version.version, "attest": "on"})
    assert response.status_code == 302
    acceptance = AgreementAcceptance.objects.get(tenant=customer)
    assert acceptance.accepted_by == customer_admin
    assert AuditEvent.objects.filter(action="agreement.accepted").count() == 1
    html = client.get(url).content.decode()
    assert "Accepted by" in html and customer_admin.email in html and 'name="attest"' not in html


def test_global_reader_reads_the_agreement_but_cannot_accept(client_as, customer):
    from tests.factories import member

    reader = member(customer, "Global Reader", email="gina@fabrikam.example")
    client = client_as(reader)
    version = agreement_selectors.current_version()

    page = client.get(settings_url(customer, "agreement/"))
    assert page.status_code == 200 and 'name="attest"' not in page.content.decode()
    response = client.post(
        settings_url(customer, "agreement/"), {"version": version.version, "attest": "on"}
    )
    assert response.status_code == 403
    assert not AgreementAcceptance.objects.exists()


def test_banner_links_to_the_agreement_page(client_as, customer_admin, customer, relationship):
    html = client_as(customer_admin).get(settings_url(customer)).content.decode()
    assert f'href="/t/{customer.pk}/settings/agreement/"' in html


# Invitations received ------------------------------------------------------------------------


def test_invitations_received(
    client_as, customer_admin, customer, partner_admin, partner_tenant, partner_profile, outsider
):
    services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email="alice@fabrikam.example",
        relationship_types=["reseller"],
        customer=customer,
    )
    services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email="olga@northwind.example",
        relationship_types=["isv"],
        customer=outsider,
    )

    response = client_as(customer_admin).get(settings_url(customer, "invitations/"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Contoso" in html and "Reseller" in html and "Pending" in html
    assert "olga@northwind.example" not in html
