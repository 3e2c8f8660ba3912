"""Relationships' HTML pages, one module per page group; relationships/urls.py routes to them.

invitations: sent (partner side) and received (customer side); acceptance: the invitation
landing page (accept or decline); partner_relationships: the partner's customers and the
customer's partner relationships; gdap: delegated admin relationships and their access
assignments; common: helpers shared by them.
"""
