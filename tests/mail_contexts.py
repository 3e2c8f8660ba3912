"""Contexts of the two kinds of mail the outbox tests queue: a GDAP notice (rendered when
sent) and a membership invitation."""

GDAP_NOTICE = {
    "relationship": "Contoso for Fabrikam",
    "partner_name": "Contoso",
    "customer_name": "Fabrikam",
    "end_at": "2026-12-01T00:00:00+00:00",
}
MEMBER_INVITED = {
    "tenant_name": "Fabrikam",
    "inviter": "Alice",
    "email": "dave@fabrikam.example",
    "set_password_url": "http://testserver/accounts/password/reset/",
}
