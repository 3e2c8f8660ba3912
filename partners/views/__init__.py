"""Partners' HTML pages, one module per page group; partners/urls.py routes to them.

directory_pages: the public directory, a partner's page and "Contact me"; profile: the
partner's listing; leads: the partner's leads inbox. Reads go through partners.selectors,
every write through a service.
"""
