import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# No key, no server (config/settings.py): Django raises on the empty SECRET_KEY here.
settings.SECRET_KEY  # noqa: B018
