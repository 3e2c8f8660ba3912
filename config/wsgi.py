import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# No key, no server (config/settings.py): Django raises on the empty SECRET_KEY here.
settings.SECRET_KEY  # noqa: B018

# What is loaded by now (settings, models, the URLconf and every view it imports) lives as
# long as the worker: frozen out of the garbage collector's reach, a full collection walks
# only what requests left behind. DRF answers are cyclic (view, request and response refer
# to each other), so every request leaves its rows to the collector; a request that meets
# a full collection waited ~110 ms without this and ~40 ms with it (issue 16).
import_module(settings.ROOT_URLCONF)
gc.collect()
gc.freeze()
