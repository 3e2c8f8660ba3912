"""Liaison settings: one module, read from the environment.

With no environment at all the portal runs on its embedded default: SQLite, Celery tasks
run eagerly, mail printed to the console. DEBUG is off unless asked for (`make run` and
`make test` ask); with DEBUG on, a development secret is generated into a git-ignored file.
"""

import contextlib
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Fail closed: a production that forgets a variable gets no debug pages.
DEBUG = env.bool("DEBUG", default=False)


def _dev_secret() -> str:
    # Kept in a git-ignored file so sessions survive a restart of `make run`.
    path = BASE_DIR / ".dev-secret-key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        with contextlib.suppress(OSError):
            path.write_text(key)
        return key


# Fail closed without a key when DEBUG is off: the web and worker processes refuse to start
# (config/wsgi.py, config/asgi.py, config/celery_app.py) and anything that signs or hashes
# raises (Django checks SECRET_KEY on first use), while commands that need no key
# (migrate, makemigrations --check) still run.
SECRET_KEY = env.str("SECRET_KEY", default="") or (_dev_secret() if DEBUG else "")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Liaison, bottom layer first (README: Architecture).
    "core",
    "audit",
    "notifications",
    "tenants",
    "roles",
    "agreements",
    "partners",
    "relationships",
    "billing",
    "devices",
    "support",
    "industry",
    "people",
    "graph",
    "portal",
]

MIDDLEWARE = [
    # /healthz and /readyz, before host checks, SSL redirect, sessions and the body limit.
    "portal.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.UserLanguageMiddleware",
    "portal.middleware.RequestContextMiddleware",
    "portal.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
REDIS_URL = env.str(
    "REDIS_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
# The cache may live apart from the broker (CACHE_URL); it is an accelerator, never a
# dependency: core.cache.ResilientRedisCache answers from process memory while Redis is down.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "liaison",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
elif CACHE_URL.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

# /readyz: which checks make it answer 503, and how old the oldest queued mail may be.
READYZ_REQUIRED = env.list("READYZ_REQUIRED", default=["database", "cache", "broker", "mail_queue"])
READYZ_MAIL_QUEUE_MAX_AGE = env.int("READYZ_MAIL_QUEUE_MAX_AGE", default=900)

AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; verification is mandatory outside development.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Liaison] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Liaison"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date style per language, and locale number formats (config/formats/<lang>).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# SMTP connect and read timeout: a hung mail server fails the attempt instead of the worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Liaison <no-reply@liaison.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: eager (in process) unless a broker is configured.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
# Workers ride out a broker outage: they reconnect with backoff for as long as it takes,
# on startup too, instead of exiting (a supervisor restart is not needed).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Publishing (the web, on commit) must fail fast with the broker down: the outbox row, or
# the pending operation, is the source of truth and beat re-queues it. Socket timeouts so
# a hung broker is noticed; the visibility timeout is far above every task's hard limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
    "retry_on_timeout": True,
    "health_check_interval": 30,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
# Late ack: a task whose worker dies runs again; every task is idempotent (the outbox
# claims rows, the sweep takes only due rows with SKIP LOCKED, reminders mark what they
# sent). A task running when the broker drops finishes, and its redelivery finds nothing.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Slow work cannot starve urgent work: mail, the expiry sweep and reminders each have a
# queue, and docker-compose runs a worker per queue family (README: Queues and workers).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "notifications.tasks.*": {"queue": "mail"},
    "relationships.tasks.sweep_relationships": {"queue": "sweep"},
    "relationships.tasks.expire_invitations": {"queue": "sweep"},
    "relationships.tasks.send_expiry_reminders": {"queue": "reminders"},
}
WORKER_QUEUES = ["default", "mail", "sweep", "reminders"]
# Every task has a soft and a hard time limit: these defaults, or its own below (or on
# its decorator). The beat jobs stop their own loops well before (max_seconds=50).
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_ANNOTATIONS = {
    "relationships.tasks.sweep_relationships": {"soft_time_limit": 90, "time_limit": 120},
    "relationships.tasks.expire_invitations": {"soft_time_limit": 90, "time_limit": 120},
    "relationships.tasks.resume_pending_work": {"soft_time_limit": 90, "time_limit": 120},
    "relationships.tasks.complete_access_assignment": {"soft_time_limit": 50, "time_limit": 60},
    "relationships.tasks.run_relationship_operation": {"soft_time_limit": 50, "time_limit": 60},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {
        "task": "notifications.tasks.flush_outbox",
        "schedule": timedelta(seconds=env.float("OUTBOX_FLUSH_SECONDS", default=15)),
    },
    "sweep-gdap-relationships": {
        "task": "relationships.tasks.sweep_relationships",
        "schedule": timedelta(minutes=1),
    },
    "gdap-expiry-reminders": {
        "task": "relationships.tasks.send_expiry_reminders",
        "schedule": timedelta(minutes=15),
    },
    "expire-invitations": {
        "task": "relationships.tasks.expire_invitations",
        "schedule": timedelta(minutes=15),
    },
    # Graph's asynchronous work (assignments, operations) left behind by a broker outage.
    "resume-gdap-work": {
        "task": "relationships.tasks.resume_pending_work",
        "schedule": timedelta(minutes=2),
    },
    # Idempotency-Key answers live 24 hours; past that they are only rows.
    "purge-idempotency-keys": {
        "task": "core.tasks.purge_idempotency_keys",
        "schedule": timedelta(hours=6),
    },
}

# The outbox (notifications/services/; README: Mail delivery guarantee).
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)  # mails per claim
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)  # a claim lapses then
OUTBOX_DRAIN_SECONDS = env.float("OUTBOX_DRAIN_SECONDS", default=50)  # one task's budget
OUTBOX_RETRY_FIRST_SECONDS = env.float("OUTBOX_RETRY_FIRST_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=2 * 3600)
OUTBOX_GIVE_UP_AFTER_SECONDS = env.float("OUTBOX_GIVE_UP_AFTER_SECONDS", default=36 * 3600)
OUTBOX_MESSAGE_ID_DOMAIN = env.str("OUTBOX_MESSAGE_ID_DOMAIN", default="")
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenants.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.permissions.TokenScopePermission",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    # Who the caller is for the anon throttle: REMOTE_ADDR, unless NUM_PROXIES trusted
    # proxies in front append X-Forwarded-For (then the address they saw). Never the header
    # as sent: a client could name a new address per request and never be limited.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/minute"),
        "user": env.str("THROTTLE_USER", default="1200/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# The OpenAPI schema and its docs need a signed-in user unless this opens them.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
# Request bodies: JSON and forms up to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB), file
# uploads (a device CSV) up to this; anything larger is a 413 before it is read.
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

SPECTACULAR_SETTINGS = {
    "SERVE_PERMISSIONS": ["core.permissions.DocsPermission"],
    "TITLE": "Liaison API",
    "DESCRIPTION": "Partner relationships, customer agreements and time-bound delegated "
    "admin roles (GDAP).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models call their state "status": name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "LeadStatusEnum": "partners.models.Lead.Status",
        "InvitationStatusEnum": "relationships.models.Invitation.Status",
        "SubscriptionStatusEnum": "billing.models.Subscription.Status",
        "SupportRequestStatusEnum": "support.models.SupportRequest.Status",
        "IndustryAppStatusEnum": "industry.models.IndustryApp.Status",
        "RelationshipStatusEnum": "relationships.models.DelegatedAdminRelationship.Status",
        "EndRequestStatusEnum": "relationships.models.EndRequest.Status",
        "RelationshipTypeEnum": "partners.relationship_types.CHOICES",
        "AuditActorKindEnum": "audit.models.AuditEvent.ActorKind",
    },
}

# Content Security Policy (django-csp 4): nothing from outside, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the meta tag, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
