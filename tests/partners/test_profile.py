"""The partner profile: the first save makes a partner; permissions; validation; page."""

from audit.models import AuditEvent
from partners.models import ListingFacet, PartnerProfile
from tenants.models import Tenant


def url(tenant):
    return f"/api/v1/tenants/{tenant.pk}/partner-profile"


PROFILE = {
    "name": "Fabrikam Services",
    "summary": "Intune and Defender rollouts.",
    "website": "https://fabrikam.example",
    "headquarters_country": "DE",
    "countries": ["DE", "AT"],
    "industries": ["healthcare"],
    "products": ["intune", "defender"],
    "services": ["deployment"],
    "org_sizes": ["51-250"],
    "relationship_types": ["gdap", "advisor"],
    "lead_email": "Leads@Fabrikam.example",
}


def test_first_put_makes_the_tenant_a_partner(api_as, customer_admin, customer):
    client = api_as(customer_admin)
    assert client.get(url(customer)).status_code == 404
    r = client.put(url(customer), PROFILE, format="json")
    assert r.status_code == 201, r.content
    assert Tenant.objects.get(pk=customer.pk).is_partner
    body = r.json()
    assert body["is_certified"] is False
    assert body["lead_email"] == "leads@fabrikam.example"
    assert body["relationship_types"] == ["advisor", "gdap"]
    assert sorted(body["products"]) == ["defender", "intune"]
    assert AuditEvent.objects.filter(action="partner_profile.created").count() == 1
    # Not listed before certification.
    assert not ListingFacet.objects.exists()
    assert client.get("/api/v1/directory/partners").json()["count"] == 0


def test_second_put_updates(api_as, customer_admin, customer):
    client = api_as(customer_admin)
    client.put(url(customer), PROFILE, format="json")
    r = client.put(url(customer), {**PROFILE, "name": "Fabrikam Partner"}, format="json")
    assert r.status_code == 200
    assert r.json()["name"] == "Fabrikam Partner"
    again = client.put(url(customer), {**PROFILE, "name": "Fabrikam Partner"}, format="json")
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="partner_profile.updated").count() == 1
    assert client.get(url(customer)).json()["name"] == "Fabrikam Partner"


def test_billing_admin_may_save_and_global_reader_may_only_read(api_as, billing_admin, customer):
    r = api_as(billing_admin).put(url(customer), PROFILE, format="json")
    assert r.status_code == 201


def test_plain_member_is_403(api_as, plain_member, customer):
    client = api_as(plain_member)
    assert client.put(url(customer), PROFILE, format="json").status_code == 403
    assert client.get(url(customer)).status_code == 403
    assert not PartnerProfile.objects.exists()


def test_outsider_is_404(api_as, outsider_admin, customer):
    assert api_as(outsider_admin).put(url(customer), PROFILE, format="json").status_code == 404


def test_bad_values_are_400_and_store_nothing(api_as, customer_admin, customer):
    bad = {
        **PROFILE,
        "name": "",
        "industries": ["space-travel"],
        "countries": ["XX"],
        "relationship_types": ["best-friend"],
        "website": "javascript:alert(1)",
        "lead_email": "nope",
    }
    r = api_as(customer_admin).put(url(customer), bad, format="json")
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {
        "name",
        "industries",
        "countries",
        "relationship_types",
        "website",
        "lead_email",
    }
    assert not PartnerProfile.objects.exists()


def test_certified_profile_changes_reach_the_directory(
    api_as, partner_admin, partner_tenant, listed_partner
):
    r = api_as(partner_admin).put(
        url(partner_tenant), {**PROFILE, "name": "Contoso Renamed"}, format="json"
    )
    assert r.status_code == 200
    listing = api_as(partner_admin).get(f"/api/v1/directory/partners/{partner_tenant.pk}").json()
    assert listing["name"] == "Contoso Renamed"
    assert [i["slug"] for i in listing["industries"]] == ["healthcare"]
    assert {c["code"] for c in listing["countries"]} == {"DE", "AT"}


def test_profile_page_creates_a_partner(client_as, customer_admin, customer):
    client = client_as(customer_admin)
    page = client.get(f"/t/{customer.pk}/partner/profile/")
    assert page.status_code == 200
    assert "Become a partner" in page.content.decode()
    data = {k: v for k, v in PROFILE.items()}
    r = client.post(f"/t/{customer.pk}/partner/profile/", data)
    assert r.status_code == 302
    assert Tenant.objects.get(pk=customer.pk).is_partner
    page = client.get(f"/t/{customer.pk}/partner/profile/")
    content = page.content.decode()
    assert "Not certified yet" in content
    assert "Intune and Defender rollouts." in content  # the preview card


def test_profile_page_post_errors(client_as, customer_admin, customer):
    r = client_as(customer_admin).post(
        f"/t/{customer.pk}/partner/profile/", {**PROFILE, "lead_email": ""}
    )
    assert r.status_code == 400
    assert not PartnerProfile.objects.exists()


def test_profile_page_is_403_for_a_plain_member(client_as, plain_member, customer):
    client = client_as(plain_member)
    assert client.get(f"/t/{customer.pk}/partner/profile/").status_code == 403
    assert client.post(f"/t/{customer.pk}/partner/profile/", PROFILE).status_code == 403


def test_navigation_offers_the_profile_and_leads_once_a_partner(
    client_as, customer_admin, customer, partner_admin, partner_tenant, listed_partner
):
    page = client_as(customer_admin).get(f"/t/{customer.pk}/")
    content = page.content.decode()
    assert f"/t/{customer.pk}/partner/profile/" in content
    assert f"/t/{customer.pk}/leads/" not in content
    page = client_as(partner_admin).get(f"/t/{partner_tenant.pk}/")
    assert f"/t/{partner_tenant.pk}/leads/" in page.content.decode()
