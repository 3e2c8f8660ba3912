"""Relationships' REST endpoints, one module per area; relationships/api_urls.py routes to them.

invitations: sent or received, send, resend, cancel; acceptance: the invitation link
(preview, accept & authorise, decline); partner_relationships: the partner's customers and
the customer's partner relationships; gdap: delegated admin relationships, their requests
and access assignments.
"""
