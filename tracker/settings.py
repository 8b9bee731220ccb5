"""Settings for the claim verification tracker: one module, read from the environment.

Security defaults are safe (DEBUG off, no default secret outside DEBUG);
infrastructure defaults are convenient (SQLite and a file-system Celery broker
under ``var/``), so one person on a laptop needs no server. See
``.env.example`` and ``docs/deploy.md`` for every variable.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from tracker.env import env_bool, env_float, env_int, env_list, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
# manage.py, gunicorn and Celery all read the checkout's .env (the environment wins);
# TRACKER_ENV_FILE names another file, or none when empty.
_ENV_FILE = env_str("TRACKER_ENV_FILE", str(BASE_DIR / ".env"))
if _ENV_FILE:
    load_env_file(Path(_ENV_FILE))
VAR_DIR = Path(env_str("TRACKER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: put SECRET_KEY=<a long random string> (or DEBUG=true on a laptop) in .env, "
            "or run `make run` once to write one"
        )
    SECRET_KEY = "insecure-dev-only-key-set-SECRET_KEY-in-production"  # noqa: S105 (DEBUG only)
elif not DEBUG and SECRET_KEY.startswith("change-me"):
    # The .env.example placeholder passes Django's length checks; never let it sign sessions.
    raise ImproperlyConfigured("SECRET_KEY is still the .env.example placeholder; set a long random value")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with the tracker's site (login limited per client address).
    "claims.admin_config.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "claims",
]

MIDDLEWARE = [
    # Outermost on the way out: a response nobody marked cacheable is private.
    "tracker.cache_headers.PrivateByDefaultMiddleware",
    "tracker.request_id.RequestIdMiddleware",
    # /healthz and /readyz answer probes by IP over HTTP, before ALLOWED_HOSTS and the HTTPS redirect.
    "tracker.health.HealthCheckMiddleware",
    # Database outages answer a JSON 503, not a 500 with a stack trace.
    "tracker.db_errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (django-csp; policy below).
    "tracker.csp.TrackerCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Form data and query strings that do not decode answer 400 instead of storing U+FFFD.
    "tracker.form_encoding.StrictFormEncodingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
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

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        # A pooled connection that died with its server is replaced, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast (not hang) when PostgreSQL is down; requests answer 503 quickly.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, worker and beat share one file.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Logs and degrades (miss / dropped write) instead of failing requests while Redis is down.
            "BACKEND": "tracker.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tracker",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Login attempt counts: plain RedisCache, so an outage is seen (and counted per process instead).
    CACHES["login_limits"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "tracker",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
else:
    # Shared by every process on one machine, unlike the local-memory cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CACHES["login_limits"] = CACHES["default"]

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: messages are files under var/broker, so a worker and
    # beat in other processes on the same machine see them. Never eager mode.
    _BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # kombu does not create these; web, worker and beat all need them before the first message.
    for _folder in ("queue", "processed", "control"):
        (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task whose worker died unacknowledged comes back after this long.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600, minimum=60),
        # Workers scan for such tasks every minute (kombu's default is about 100 s),
        # so a killed worker's check is back within visibility timeout + a minute.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 6,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# One queue name per deployment; test runs give their own worker a private queue.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Sweeps have their own queue, consumed by every worker started without -Q, so
# a backlog of checks in the default queue never delays (and expires) them.
RECHECK_SWEEP_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-sweeps"
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(RECHECK_SWEEP_QUEUE))
CELERY_TASK_ROUTES = {"claims.tasks.recheck_sweep": {"queue": RECHECK_SWEEP_QUEUE}}
# Celery's Django fixup closes the database connection around every task unless
# this is set; reused connections are still closed when broken or older than
# DB_CONN_MAX_AGE (tracker.celery runs close_old_connections before each task).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000, minimum=0)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 10
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Publishing must not hang a web request when the broker is down.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False

# --- Re-checks and the fetcher ---------------------------------------------
RECHECK_SWEEP_SECONDS = env_int("RECHECK_SWEEP_SECONDS", 60, minimum=1)
RECHECK_DEFAULT_INTERVAL = timedelta(seconds=env_int("RECHECK_DEFAULT_INTERVAL_SECONDS", 6 * 3600, minimum=1))
RECHECK_MAX_BACKOFF = timedelta(seconds=env_int("RECHECK_MAX_BACKOFF_SECONDS", 24 * 3600, minimum=1))
RECHECK_LEASE = timedelta(seconds=env_int("RECHECK_LEASE_SECONDS", 300, minimum=1))
# Sources leased (queued or being checked) at once; keep it below what the
# workers clear within RECHECK_LEASE_SECONDS, or queued messages go stale.
RECHECK_MAX_IN_FLIGHT = env_int("RECHECK_MAX_IN_FLIGHT", 5000, minimum=1)
RECHECK_UNREACHABLE_AFTER = env_int("RECHECK_UNREACHABLE_AFTER", 3, minimum=1)
RECHECK_GONE_AFTER = env_int("RECHECK_GONE_AFTER", 2, minimum=1)
# Off by default: tests and local demos name hosts (e.g. 127.0.0.1) that the
# SSRF guard would otherwise refuse. Entries are "host" (any port) or
# "host:port" / "[v6]:port" (that port only), matched exactly against the
# URL's host, never by resolved address: "127.0.0.1:8000" does not let a
# redirect reach 127.0.0.1:6379 or localhost:8000.
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS")
FETCH_USER_AGENT = env_str(
    "FETCH_USER_AGENT",
    "ClaimTracker/1.0 (newsroom verification desk; re-checks cited sources)",
)
FETCH_CONNECT_TIMEOUT = env_float("FETCH_CONNECT_TIMEOUT", 5.0)
FETCH_TOTAL_TIMEOUT = env_float("FETCH_TOTAL_TIMEOUT", 20.0)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
FETCH_MIN_SPACING = env_float("FETCH_MIN_SPACING", 2.0)
# PEM file (or OpenSSL hashed directory) of CAs that HTTPS sources are verified
# against; empty means certifi's bundle.
FETCH_CA_BUNDLE = env_str("FETCH_CA_BUNDLE")
if FETCH_CA_BUNDLE and not Path(FETCH_CA_BUNDLE).exists():
    raise ImproperlyConfigured(f"FETCH_CA_BUNDLE points to {FETCH_CA_BUNDLE}, which does not exist")

# --- Article intake (docs/intake.md) -----------------------------------
# A paste over this many bytes is refused (one article, not an archive).
INTAKE_MAX_TEXT_BYTES = env_int("INTAKE_MAX_TEXT_BYTES", 200_000, minimum=1000)
# Pasted texts up to this many characters are read during the request; longer
# ones, and every URL, go to a Celery task whose progress the admin shows.
INTAKE_INLINE_MAX_CHARS = env_int("INTAKE_INLINE_MAX_CHARS", 20_000, minimum=0)
# Duplicate finder: suggest twins from this likeness, link them without asking
# from the stricter one; claims with fewer content words are only suggested.
INTAKE_TWIN_SUGGEST = env_float("INTAKE_TWIN_SUGGEST", 0.5)
INTAKE_TWIN_AUTOLINK = env_float("INTAKE_TWIN_AUTOLINK", 0.85)
INTAKE_TWIN_MIN_WORDS = env_int("INTAKE_TWIN_MIN_WORDS", 6, minimum=1)
# ClaimReview import: rating labels (lower-cased, any language) to our statuses.
# CLAIMREVIEW_RATING_MAP="false:false,pants on fire:false,misleading:disputed,..." adds or overrides entries.
# fmt: off
CLAIMREVIEW_RATING_MAP = {
    "false": "false", "pants on fire": "false", "fake": "false", "incorrect": "false", "fabricated": "false",
    "mostly false": "disputed", "misleading": "disputed", "half true": "disputed", "mixture": "disputed",
    "partly false": "disputed", "missing context": "disputed", "unproven": "unconfirmed", "unverified": "unconfirmed",
    "true": "confirmed", "correct": "confirmed", "mostly true": "confirmed", "accurate": "confirmed",
    "خطأ": "false", "كاذب": "false", "زائف": "false", "مضلل": "disputed", "صحيح": "confirmed",
    "غير مؤكد": "unconfirmed",
} | {
    key.strip().lower(): value.strip()
    for key, _, value in (item.partition(":") for item in env_list("CLAIMREVIEW_RATING_MAP"))
    if key.strip() and value.strip()
}
# fmt: on
if bad := {v for v in CLAIMREVIEW_RATING_MAP.values() if v not in {"unconfirmed", "confirmed", "disputed", "false"}}:
    raise ImproperlyConfigured(
        f"CLAIMREVIEW_RATING_MAP: unknown status {sorted(bad)}; use unconfirmed, confirmed, disputed, false"
    )
# A numeric rating (ratingValue within worstRating..bestRating) maps by its share of the scale.
CLAIMREVIEW_NUMERIC_FALSE_BELOW = env_float("CLAIMREVIEW_NUMERIC_FALSE_BELOW", 0.25)
CLAIMREVIEW_NUMERIC_TRUE_FROM = env_float("CLAIMREVIEW_NUMERIC_TRUE_FROM", 0.75)

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Password attempts per client address, admin and API logins together (claims/services/login_limits.py).
LOGIN_RATE_LIMIT = env_str("LOGIN_RATE_LIMIT", "10/minute")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", LOGIN_RATE_LIMIT):
    raise ImproperlyConfigured(f"LOGIN_RATE_LIMIT must look like 10/minute, got {LOGIN_RATE_LIMIT!r}")
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed. Empty: the
# TCP peer is the client, and the header is ignored (anyone could send it).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES entries are addresses or networks, got {_proxy!r}") from None

# --- I18N, static ---------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve from the app directories too when collectstatic has not run (laptop, tests).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

# --- Security (production values come from the environment) ---------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Health probes come from load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Scripts and style sheets from this site only; no inline script anywhere (the admin's
# scripts are all files). Inline style *attributes* stay allowed: the admin's templates
# use them and they cannot run code. The API docs pages' additions are in tracker/csp.py.
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "worker-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=1024)

# --- Logging: one JSON object per line, with the request id ---------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "tracker.request_id.RequestIdFilter"},
        "as_warning_without_traceback": {"()": "tracker.logging_filters.AsWarningWithoutTraceback"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
        "disallowed_host": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "as_warning_without_traceback"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A bad Host header is a client's mistake or a scan: one WARNING line, no traceback
        # (tracker.logging_filters.AsWarningWithoutTraceback).
        "django.security.DisallowedHost": {
            "level": "WARNING",
            "handlers": ["disallowed_host"],
            "propagate": False,
        },
        "celery": {"level": LOG_LEVEL},
    },
}

# --- REST framework (closed by default) ------------------------------------
# Django's ModelBackend, reading a user's permissions in one query (claims/permissions_backend.py).
AUTHENTICATION_BACKENDS = ["claims.permissions_backend.ModelBackendOneQuery"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.TrackerAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        # JSON with the DATA_UPLOAD_MAX_MEMORY_SIZE cap Django applies to forms only.
        "claims.api.parsers.CappedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttles.UserThrottle",
        "claims.api.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_THROTTLE_USER", "600/minute"),
        "anon": env_str("API_THROTTLE_ANON", "30/minute"),
    },
    # Throttles tell clients apart by claims.services.login_limits.client_address (TRUSTED_PROXIES).
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "claims.api.exceptions.api_exception_handler",
    # No ?format= override: DRF copies it into every link it builds (url fields, Location).
    # Only the schema view reads ?format=json (claims/api/urls.py).
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# The organisation named as author and publisher of published ClaimReview verdicts.
CLAIMREVIEW_PUBLISHER_NAME = env_str("CLAIMREVIEW_PUBLISHER_NAME", "Verification desk")
CLAIMREVIEW_PUBLISHER_URL = env_str("CLAIMREVIEW_PUBLISHER_URL")
CLAIMREVIEW_PUBLISHER_LOGO = env_str("CLAIMREVIEW_PUBLISHER_LOGO")
CLAIMREVIEW_PUBLISHER_SAME_AS = env_list("CLAIMREVIEW_PUBLISHER_SAME_AS")
# The language the desk writes its reviews in (BCP 47), published as inLanguage.
CLAIMREVIEW_LANGUAGE = env_str("CLAIMREVIEW_LANGUAGE", "en")
# JSON object overriding the status -> rating mapping (docs/publishing.md); empty keeps the defaults.
CLAIMREVIEW_PUBLISH_RATINGS = env_str("CLAIMREVIEW_PUBLISH_RATINGS")
# Absolute URLs in public pages, the feed and the sitemap use this base
# (e.g. https://facts.example.org) rather than the request's Host header, so a
# CDN never caches a page that names another host. Empty: the request's host.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL").rstrip("/")
# How long browsers (max-age) and shared caches such as a CDN (s-maxage) may keep public pages.
PUBLIC_MAX_AGE = env_int("PUBLIC_MAX_AGE", 60, minimum=0)
PUBLIC_SHARED_MAX_AGE = env_int("PUBLIC_SHARED_MAX_AGE", 300, minimum=0)
PUBLIC_FEED_PAGE_SIZE = env_int("PUBLIC_FEED_PAGE_SIZE", 50, minimum=1)

# --- Alerts (docs/alerts.md) -------------------------------------------------
# The desk's own origin, for "review it" links in alerts.
DESK_BASE_URL = env_str("DESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALERT_WEBHOOK_TIMEOUT = env_float("ALERT_WEBHOOK_TIMEOUT", 10.0)
ALERT_MAX_ATTEMPTS = env_int("ALERT_MAX_ATTEMPTS", 8, minimum=1)
ALERT_RETRY_BASE_SECONDS = env_int("ALERT_RETRY_BASE_SECONDS", 30, minimum=0)
ALERT_RETRY_MAX_SECONDS = env_int("ALERT_RETRY_MAX_SECONDS", 3600, minimum=1)
ALERT_SWEEP_SECONDS = env_int("ALERT_SWEEP_SECONDS", 30, minimum=1)
# How long a delivery the sweep queued is left to the worker before the sweep queues it again.
ALERT_CLAIM_SECONDS = env_int("ALERT_CLAIM_SECONDS", 120, minimum=1)
ALERT_DIGEST_HOUR = env_int("ALERT_DIGEST_HOUR", 6, minimum=0)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "desk@localhost")
SPECTACULAR_SETTINGS = {
    "TITLE": "Claim verification tracker API",
    "DESCRIPTION": "Claims from news reports, who asserts them, where they were reported, and their status.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies without the read-only fields, so clients (and schemathesis) see what they may send.
    "COMPONENT_SPLIT_REQUEST": True,
    # The API's contract is JSON; form parsers stay only for the browsable API's HTML forms.
    "PARSER_WHITELIST": ["claims.api.parsers.CappedJSONParser"],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "ClaimantKindEnum": "claims.models.Claimant.Kind",
        "SourceKindEnum": "claims.models.Source.Kind",
        "CheckOutcomeEnum": "claims.models.Source.Outcome",
        "CheckStateEnum": "claims.models.SourceCheck.State",
        "IntakeStateEnum": "claims.models.ArticleIntake.State",
        "ProposalStateEnum": "claims.models.ClaimProposal.State",
    },
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30, minimum=1)),
    "AUTO_REFRESH": False,
}
