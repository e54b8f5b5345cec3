"""Settings for newsroom: one file, every deployment difference is an environment variable.

With no environment at all the service runs locally on embedded defaults: SQLite under var/,
Celery's file-system transport under var/celery/, email written to files under var/mail/.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_rate(name: str, default: str) -> str | None:
    """A DRF throttle rate such as 100/minute; "off" (or empty) disables that throttle."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none"} else value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: refusing to start with a "
            "guessable key. Generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "knox",
    "axes",
    "articles",
    "media_credits",
]

MIDDLEWARE = [
    "newsroom.request_id.RequestIdMiddleware",  # outermost: it sees every 5xx (and tags it)
    # Then the request log (with that id) and the metrics, around every response.
    "newsroom.logging.RequestLogMiddleware",
    "newsroom.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in reads are never cached (newsroom.http_cache).
    "newsroom.http_cache.PrivateReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Lets the admin record who made a change: https://django-simple-history.readthedocs.io/en/latest/quick_start.html
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: https://django-axes.readthedocs.io/en/latest/2_installation.html
    "axes.middleware.AxesMiddleware",
]

# django-axes first, so a locked-out login never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Serve the collected static files (admin, API docs) from the app server itself when no web
# server sits in front of it, as in docker-compose.yml: https://whitenoise.readthedocs.io/en/stable/django.html
if env_bool("DJANGO_SERVE_STATIC", False):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

# Anonymous reads of articles and entities (no credential, no cookie) go through this shorter
# stack (newsroom.public_handler): no session, CSRF, messages, lockout or history user can apply
# to them. NEWSROOM_PUBLIC_MIDDLEWARE=0 sends them through MIDDLEWARE too.
_SHORT_STACK_SKIPS = {
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "newsroom.http_cache.PrivateReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
}
NEWSROOM_PUBLIC_MIDDLEWARE = [
    "newsroom.public_handler.AnonymousMiddleware"
    if name == "django.contrib.sessions.middleware.SessionMiddleware"
    else name
    for name in MIDDLEWARE
    if name not in _SHORT_STACK_SKIPS
]
if not env_bool("NEWSROOM_PUBLIC_MIDDLEWARE", True):
    NEWSROOM_PUBLIC_MIDDLEWARE = []
# The plainest of those reads (an article, a page of the list, answered with success) are served
# before Django's handler by the views' own code (newsroom.fast_reads), while the short stack is
# the one that layer mirrors. NEWSROOM_FAST_READS=0 sends them through the short stack too.
NEWSROOM_FAST_READS = env_bool("NEWSROOM_FAST_READS", True)

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user@host:5432/name), else a SQLite file under var/.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Persistent connections: https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
CONN_MAX_AGE = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=CONN_MAX_AGE,
            conn_health_checks=env_bool("DJANGO_CONN_HEALTH_CHECKS", True),
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Lets psycopg prepare the statements of the server-binding cursor that the public
        # read path uses (Django's own cursors bind on the client and never prepare):
        # https://docs.djangoproject.com/en/5.2/ref/databases/#server-side-parameters-binding
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2)
        # Those prepared statements run their generic plan from the first execution, whatever
        # the connection ran before: a custom plan is planned anew for each execution, which
        # costs more than running the public list's query (the planner reads the ends of the
        # publication index for "published_at <= now"), and the switch after the fifth
        # execution would make a statement's plan depend on the connection's history. Django's
        # own queries bind on the client and have no parameters to plan for, so only these
        # statements see it: https://www.postgresql.org/docs/current/runtime-config-query.html#GUC-PLAN-CACHE-MODE
        DATABASES["default"]["OPTIONS"].setdefault(
            "options", "-c plan_cache_mode=force_generic_plan"
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "newsroom.sqlite3",
            "CONN_MAX_AGE": CONN_MAX_AGE,
            # Wait for a writer instead of failing at once when the worker and the web
            # process write together: https://docs.djangoproject.com/en/5.2/ref/databases/#database-is-locked-errors
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# Root-relative (or a CDN origin): rendition URLs are built from it and stored in documents.
# https://docs.djangoproject.com/en/5.2/ref/settings/#media-url
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

# Media credits. Originals are kept byte for byte outside MEDIA_ROOT, with no public URL;
# renditions live under MEDIA_ROOT and are served at MEDIA_URL.
NEWSROOM_ORIGINALS_ROOT = Path(os.environ.get("NEWSROOM_ORIGINALS_ROOT", VAR_DIR / "originals"))

# Two named storages: `originals` (private) and `renditions` (public; also the default, which
# Rendition.file uses). The local file system unless an S3-compatible store is configured, so
# that web servers and workers on several machines share no disk:
# https://docs.djangoproject.com/en/5.2/ref/settings/#storages and
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
NEWSROOM_S3_ENDPOINT_URL = os.environ.get("NEWSROOM_S3_ENDPOINT_URL", "")
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
NEWSROOM_ORIGINALS_URL_SECONDS = int(os.environ.get("NEWSROOM_ORIGINALS_URL_SECONDS", "300"))


def s3_storages(
    *,
    endpoint_url: str,
    bucket: str,
    public_url: str = "",
    access_key: str | None = None,
    secret_key: str | None = None,
) -> dict:
    """STORAGES for an S3-compatible store: one bucket, two prefixes. Originals get signed,
    expiring URLs only; renditions plain URLs (the bucket policy makes `renditions/` public)
    or, with `public_url` (a CDN or proxy origin), URLs under it."""
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": os.environ.get("NEWSROOM_S3_REGION", "us-east-1"),
        # None: boto3's own chain (AWS_* variables, an instance role).
        "access_key": access_key or os.environ.get("NEWSROOM_S3_ACCESS_KEY_ID") or None,
        "secret_key": secret_key or os.environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": os.environ.get("NEWSROOM_S3_ADDRESSING_STYLE", "path"),
        "file_overwrite": False,
        # Fail fast when the store is down: an upload answers 503, a task retries later.
        "client_config": _s3_client_config(),
    }
    renditions = {"default_acl": None, "querystring_auth": False, "location": ""}
    if public_url:
        parts = public_url.split("://", 1)
        renditions |= {"custom_domain": parts[-1].rstrip("/"), "url_protocol": parts[0] + ":"}
    backend = "storages.backends.s3.S3Storage"
    return {
        "originals": {
            "BACKEND": backend,
            "OPTIONS": common
            | {
                "location": "originals",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": NEWSROOM_ORIGINALS_URL_SECONDS,
            },
        },
        "renditions": {"BACKEND": backend, "OPTIONS": common | renditions},
    }


def _s3_client_config():
    from botocore.config import Config

    return Config(
        connect_timeout=float(os.environ.get("NEWSROOM_S3_CONNECT_TIMEOUT", "3")),
        read_timeout=float(os.environ.get("NEWSROOM_S3_READ_TIMEOUT", "30")),
        retries={"max_attempts": int(os.environ.get("NEWSROOM_S3_MAX_ATTEMPTS", "2"))},
    )


if NEWSROOM_S3_BUCKET:
    _media = s3_storages(
        endpoint_url=NEWSROOM_S3_ENDPOINT_URL,
        bucket=NEWSROOM_S3_BUCKET,
        public_url=os.environ.get("NEWSROOM_MEDIA_PUBLIC_URL", ""),
    )
else:
    _media = {
        "originals": {"BACKEND": "media_credits.models.images.OriginalsStorage"},
        "renditions": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
STORAGES = {
    "default": _media["renditions"],
    **_media,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NEWSROOM_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 50_000_000))
# On for a commercial site: images under a non-commercial licence cannot be published.
NEWSROOM_COMMERCIAL_USE = env_bool("NEWSROOM_COMMERCIAL_USE", True)
# Uploaded files never count against DATA_UPLOAD_MAX_MEMORY_SIZE (only the other form fields
# do) and go to a temporary file above FILE_UPLOAD_MAX_MEMORY_SIZE, so a large upload reaches
# the view, which answers 413 itself: https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Email: SMTP when EMAIL_HOST is set, else one file per message under var/mail/.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom <newsroom@localhost>")
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: Redis when REDIS_URL is set, else the file-system transport so a fresh machine
# needs no server. https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "celery"
# CELERY_BROKER_URL (e.g. amqp://guest:guest@rabbitmq:5672// for RabbitMQ, Celery's
# recommended broker) wins over REDIS_URL: https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/
_broker_url = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL
if _broker_url:
    CELERY_BROKER_URL = _broker_url
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Tasks never wait in Redis longer than this; long waits live in the database.
        "visibility_timeout": 3600,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    for _sub in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Else kombu writes its exchange table to ./control in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
# Deployments (or test runs) sharing one broker each use their own queue:
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-default-queue
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("NEWSROOM_CELERY_QUEUE", "celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Follow-up reminders. Local hours when reminders may go out ("" = any hour); a journalist's
# profile can override them.
NEWSROOM_QUIET_HOURS = os.environ.get("NEWSROOM_QUIET_HOURS", "08:00-20:00")
# How often beat runs the reminder dispatch sweep, in seconds.
NEWSROOM_REMINDER_DISPATCH_SECONDS = float(
    os.environ.get("NEWSROOM_REMINDER_DISPATCH_SECONDS", "60")
)
# A queued send whose message never ran (lost broker) is queued again after this many seconds.
NEWSROOM_REMINDER_REQUEUE_SECONDS = int(os.environ.get("NEWSROOM_REMINDER_REQUEUE_SECONDS", "300"))
# A delivery left in "sending" longer than this (crashed worker) is reclaimed. Must exceed the
# SMTP timeout.
NEWSROOM_REMINDER_STALE_SECONDS = int(os.environ.get("NEWSROOM_REMINDER_STALE_SECONDS", "600"))
# Retry back-off after a transient SMTP error: base * 2**(attempt-1), capped, with jitter.
NEWSROOM_REMINDER_BACKOFF_SECONDS = float(os.environ.get("NEWSROOM_REMINDER_BACKOFF_SECONDS", "60"))
NEWSROOM_REMINDER_BACKOFF_MAX_SECONDS = float(
    os.environ.get("NEWSROOM_REMINDER_BACKOFF_MAX_SECONDS", "3600")
)
NEWSROOM_REMINDER_MAX_ATTEMPTS = int(os.environ.get("NEWSROOM_REMINDER_MAX_ATTEMPTS", "10"))
NEWSROOM_REMINDER_BATCH_SIZE = int(os.environ.get("NEWSROOM_REMINDER_BATCH_SIZE", "1000"))
# Domain of the reminders' deterministic Message-IDs.
NEWSROOM_EMAIL_DOMAIN = os.environ.get("NEWSROOM_EMAIL_DOMAIN", "newsroom.localhost")
# Snooze / done links in reminder emails stay valid this long.
NEWSROOM_FOLLOWUP_LINK_MAX_AGE = int(os.environ.get("NEWSROOM_FOLLOWUP_LINK_MAX_AGE", 14 * 86400))

REST_FRAMEWORK = {
    # drf-spectacular's, adding the errors each operation can answer (newsroom.openapi).
    "DEFAULT_SCHEMA_CLASS": "newsroom.openapi.AutoSchema",
    # django-filter's, refusing empty and repeated filters (newsroom.filters).
    "DEFAULT_FILTER_BACKENDS": ["newsroom.filters.FilterBackend"],
    # Tokens first: a client without credentials gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # https://www.django-rest-framework.org/api-guide/throttling/ (counts live in the cache)
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("DJANGO_THROTTLE_ANON", "3000/minute"),
        "user": env_rate("DJANGO_THROTTLE_USER", "3000/minute"),
        "auth": env_rate("DJANGO_THROTTLE_AUTH", "30/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON with limits on size (413) and nesting (400), then DRF's form parsers.
    "DEFAULT_PARSER_CLASSES": [
        "newsroom.parsers.SafeJSONParser",
        "newsroom.parsers.SafeFormParser",
        "newsroom.parsers.SafeMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    # Limit and offset capped, so that a huge number is a 400 and not a database overflow.
    "DEFAULT_PAGINATION_CLASS": "newsroom.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "newsroom.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "newsroom API",
    "DESCRIPTION": (
        "Articles with structured metadata, media credits, highlight boxes and follow-ups."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package, no CDN: https://drf-spectacular.readthedocs.io/en/latest/settings.html
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One body per operation: JSON for every write, multipart for the image upload only.
    # Listing the form encodings too gave each write three bodies with one schema, which client
    # generators cannot tell apart (openapi-python-client wrote code failing with "NameError:
    # Unset"). The API still accepts form encodings; the schema documents one body each.
    # https://drf-spectacular.readthedocs.io/en/latest/settings.html
    "PARSER_WHITELIST": [
        "newsroom.parsers.SafeJSONParser",
        "newsroom.parsers.ImageUploadParser",
    ],
    # Several models have a "status" or "role" field with different choices.
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "articles.models.Article.Status",
        "ClaimStatusEnum": "articles.models.Claim.Status",
        "MentionRoleEnum": "articles.models.Mention.Role",
        "SourceRoleEnum": "articles.models.Source.Role",
        "FollowUpStatusEnum": "articles.models.followups.FollowUp.Status",
        "ArticleImageRoleEnum": "media_credits.models.ArticleImage.Role",
        "ReminderHoldReasonEnum": "articles.reminders.plan.HoldReason",
        "ImageFormatEnum": "media_credits.models.Image.Format",
    },
}

# Reverting from the admin history would bypass the desk's rules and version checks.
SIMPLE_HISTORY_REVERT_DISABLED = True

# API tokens: https://jazzband.github.io/django-rest-knox/settings/
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=int(os.environ.get("NEWSROOM_TOKEN_TTL_HOURS", "720"))),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTO_REFRESH": False,
}

# Brute-force protection: https://django-axes.readthedocs.io/en/latest/4_configuration.html
# Lock a username from one address after repeated failures, so one office behind a NAT
# is not locked out by a single colleague's typos.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("NEWSROOM_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("NEWSROOM_PROXY_COUNT", "0")) or None
AXES_VERBOSE = False

# GET /metrics: only from these addresses, or with this bearer token.
NEWSROOM_METRICS_ALLOWED_IPS = env_list("NEWSROOM_METRICS_ALLOWED_IPS", "127.0.0.1,::1")
NEWSROOM_METRICS_TOKEN = os.environ.get("NEWSROOM_METRICS_TOKEN", "")

# NEWSROOM_LOG_FORMAT=json: one JSON object a line (request id, user, view, status, duration;
# task name and id in workers), for a log shipper. Readable text otherwise.
NEWSROOM_LOG_FORMAT = os.environ.get("NEWSROOM_LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "newsroom.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if NEWSROOM_LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
# HTTPS: https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
# Off by default (local HTTP); production sets them (see README, `check --deploy`).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# Health checks come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Standard formats (articles.formats: ninjs, schema.org JSON-LD) ------------------------------
# The publisher named in ninjs (copyrightholder) and in schema.org (NewsMediaOrganization):
# https://developers.google.com/search/docs/appearance/structured-data/article
NEWSROOM_PUBLISHER_NAME = os.environ.get("NEWSROOM_PUBLISHER_NAME", "Newsroom")
# The publisher's logo for schema.org `publisher.logo` (an absolute URL; empty leaves it out).
NEWSROOM_PUBLISHER_LOGO_URL = os.environ.get("NEWSROOM_PUBLISHER_LOGO_URL", "")
# The corrections policy page: ninjs trustindicators (http://cv.iptc.org/newscodes/trustindicator/)
# and schema.org `publishingPrinciples`; empty leaves both out.
NEWSROOM_CORRECTIONS_POLICY_URL = os.environ.get("NEWSROOM_CORRECTIONS_POLICY_URL", "")
# Hosts that ninjs ingest may fetch image renditions from, comma-separated; none by default, so an
# ingested document never makes the service fetch anything.
NEWSROOM_INGEST_HOSTS = [
    host.strip() for host in os.environ.get("NEWSROOM_INGEST_HOSTS", "").split(",") if host.strip()
]
# Content credentials (C2PA): https://opensource.contentauthenticity.org/docs/c2pa-python/
# An ES256 certificate chain (leaf first) and its private key, PEM file paths: with both set,
# every rendition is signed. Trust anchors: a PEM bundle of the CAs whose signers an upload's
# manifest is "trusted" against; empty means no trust list (every signer is "untrusted").
NEWSROOM_C2PA_CERT = os.environ.get("NEWSROOM_C2PA_CERT", "")
NEWSROOM_C2PA_KEY = os.environ.get("NEWSROOM_C2PA_KEY", "")
NEWSROOM_C2PA_TRUST_ANCHORS = os.environ.get("NEWSROOM_C2PA_TRUST_ANCHORS", "")

# HTTP caching of the public reads (newsroom.http_cache): browsers keep a page MAX_AGE seconds,
# shared caches (Varnish, a CDN) S_MAXAGE seconds, since a purge refreshes them on every change;
# both may serve a stale copy while they revalidate or when the origin fails:
# https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2 and https://www.rfc-editor.org/rfc/rfc5861
NEWSROOM_CACHE_MAX_AGE = int(os.environ.get("NEWSROOM_CACHE_MAX_AGE", "60"))
NEWSROOM_CACHE_S_MAXAGE = int(os.environ.get("NEWSROOM_CACHE_S_MAXAGE", "3600"))
NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = int(
    os.environ.get("NEWSROOM_CACHE_STALE_WHILE_REVALIDATE", "30")
)
NEWSROOM_CACHE_STALE_IF_ERROR = int(os.environ.get("NEWSROOM_CACHE_STALE_IF_ERROR", "86400"))
# Who is told to drop cached copies after a change (newsroom.purgers): none, varnish, fastly or
# cloudflare, as Wagtail's frontend cache backends:
# https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
NEWSROOM_CACHE_PURGER = os.environ.get("NEWSROOM_CACHE_PURGER", "none").strip().lower()
NEWSROOM_VARNISH_URLS = env_list("NEWSROOM_VARNISH_URLS", "http://127.0.0.1:6081")
NEWSROOM_FASTLY_API_URL = os.environ.get("NEWSROOM_FASTLY_API_URL", "https://api.fastly.com")
NEWSROOM_FASTLY_SERVICE_ID = os.environ.get("NEWSROOM_FASTLY_SERVICE_ID", "")
NEWSROOM_FASTLY_API_TOKEN = os.environ.get("NEWSROOM_FASTLY_API_TOKEN", "")
NEWSROOM_FASTLY_SOFT_PURGE = env_bool("NEWSROOM_FASTLY_SOFT_PURGE", False)
NEWSROOM_CLOUDFLARE_API_URL = os.environ.get(
    "NEWSROOM_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
)
NEWSROOM_CLOUDFLARE_ZONE_ID = os.environ.get("NEWSROOM_CLOUDFLARE_ZONE_ID", "")
NEWSROOM_CLOUDFLARE_API_TOKEN = os.environ.get("NEWSROOM_CLOUDFLARE_API_TOKEN", "")
# A revalidation (If-None-Match) of a public read that names the ETag of its last answer gets a
# 304 before Django (newsroom.revalidation), while Redis says nothing public changed since, for
# at most NEWSROOM_REVALIDATION_TTL seconds (what changes by the clock alone). Needs REDIS_URL.
NEWSROOM_REVALIDATION = env_bool("NEWSROOM_REVALIDATION", True)
NEWSROOM_REVALIDATION_TTL = float(os.environ.get("NEWSROOM_REVALIDATION_TTL", "1"))
# How often beat purges what became live by the clock alone (an embargo lifting).
NEWSROOM_CACHE_SWEEP_SECONDS = float(os.environ.get("NEWSROOM_CACHE_SWEEP_SECONDS", "30"))
NEWSROOM_CACHE_PURGE_TIMEOUT = float(os.environ.get("NEWSROOM_CACHE_PURGE_TIMEOUT", "5"))
