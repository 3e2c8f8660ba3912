"""Partners' REST endpoints, one module per area; partners/api_urls.py routes to them.

directory: the public directory and "Contact me"; profile: the partner's own listing;
leads: the partner's leads inbox.
"""
