"""Settings for Renovation Tracker: one module, driven by the environment.

Every variable read here is documented in README.md (Configuration). Defaults suit a newcomer's
machine: SQLite in the project root, debug on, local-memory cache. Production sets
``DJANGO_DEBUG=false``, a real ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and a
``postgres://`` ``DATABASE_URL``.
"""

import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable strictly: a typo must not silently turn debug on."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_rate(name: str, default: str) -> str:
    """A throttle rate, ``<requests>/<period>`` with a period of second, minute, hour or day."""
    value = os.environ.get(name) or default
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", value.strip()):
        raise ImproperlyConfigured(f"{name} must look like 600/minute, not {value!r}")
    return value.strip()


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_gc_thresholds(name: str, default: tuple[int, int, int]) -> tuple[int, ...]:
    """The garbage collector's three thresholds (``gc.set_threshold``), or ``off``: none."""
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    if value.lower() == "off":
        return ()
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 3 or not all(part.isdigit() and part.isascii() for part in parts):
        raise ImproperlyConfigured(
            f"{name} must be three whole numbers such as 50000,20,10, or off, not {value!r}"
        )
    thresholds = tuple(int(part) for part in parts)
    if thresholds[0] == 0:
        # gc.set_threshold(0, ...) turns the collector off altogether: cycles would never go.
        raise ImproperlyConfigured(f"{name}'s first number must be above 0, not {value!r}")
    return thresholds


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, its site with the JavaScript catalogue built once (admin_site.py).
    "renovation.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "import_export",
    # The domain: one label, "communities", holds every table (and its migrations); each part
    # of the domain is an app of its own for its code (README → Layout).
    "communities",
    "communities.core",
    "communities.access",
    "communities.places",
    "communities.works",
    "communities.elevators",
    "communities.construction",
    "communities.property",
    "communities.repairs",
    "communities.participation",
    "communities.dossier",
    "communities.reporting",
    "communities.following",
    "communities.site",
    "communities.demo",
    "communities.scale",
]

MIDDLEWARE = [
    # Outermost: every request gets its id (X-Request-ID, on every log line) and is timed and
    # counted for /metrics, 503s included (renovation/logs.py, renovation/metrics.py).
    "renovation.logs.RequestIdMiddleware",
    "renovation.metrics.MetricsMiddleware",
    # First: a database or Redis outage met anywhere below answers 503 (renovation/resilience.py).
    "renovation.resilience.DatabaseUnavailableMiddleware",
    # Reads that follow a write in the same request go to the primary (renovation/db_router.py).
    "renovation.db_router.ReplicaPinningMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a body: 413 above DATA_UPLOAD_MAX_REQUEST_SIZE, 400 for a NUL
    # character in the path, query or form (renovation/limits.py).
    "renovation.limits.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the settings' policy built once (renovation/security.py).
    "renovation.security.CSPMiddleware",
    # Anonymous reads of public pages from the cache (communities.core.caching): inside the
    # security headers, after the language and the signed-in user are known.
    "communities.core.caching.PublicResponseCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "communities.core.history.EditSourceMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one
# address, that pair is locked out for AXES_COOLOFF_HOURS. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the client's behind TRUSTED_PROXY_COUNT proxies (below), not the proxy's: a
# stranger's five bad passwords lock the stranger's pair, not the user out for everybody.
AXES_CLIENT_IP_CALLABLE = "communities.core.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Reverse proxies in front of Django (nginx, a load balancer) that each append the address they
# received a request from to X-Forwarded-For. The client is then the TRUSTED_PROXY_COUNT-th
# address from the right; with 0 X-Forwarded-For is ignored and REMOTE_ADDR is the client.
# Used by every throttle and the login lockout (communities/core/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

ROOT_URLCONF = "renovation.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "renovation.wsgi.application"

# Database: SQLite in the project root unless DATABASE_URL says otherwise (postgres://… in
# production). Connections are kept for CONN_MAX_AGE seconds and health-checked before reuse, so
# one killed by a database restart is replaced by the next request.
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER", False)


def _database(config: dict) -> dict:
    config["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast (and answer 503) rather than hang a worker when the server is unreachable.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A few clerks writing at once on the embedded default: readers never wait for a writer
        # (WAL), a write transaction takes the write lock when it starts (IMMEDIATE: no
        # "database is locked" halfway through), and a writer waits its turn for up to
        # SQLITE_BUSY_TIMEOUT seconds instead of failing at once.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", env_int("SQLITE_BUSY_TIMEOUT", 20))
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    if DATABASE_PGBOUNCER:
        # PgBouncer in transaction mode hands each transaction its own server connection: a
        # server-side cursor (.iterator()) would not survive from one transaction to the next.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


DATABASES = {
    "default": _database(
        dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    )
}
# Read replicas: replica_1 … replica_n, read through renovation.db_router. Tests mirror the
# primary (no test database of their own).
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica_{_number}"] = {
        **_database(dj_database_url.parse(_url)),
        "TEST": {"MIRROR": "default"},
    }
# Without a replica (the loop above added none) the router would have no opinion, and Django
# asks every router on every query and on every foreign key a new instance is given: none then.
DATABASE_ROUTERS = ["renovation.db_router.PrimaryReplicaRouter"] if len(DATABASES) > 1 else []
# After a request that wrote, the same client reads from the primary for this many seconds
# (a cookie), so the page a form redirects to does not show a replica's older copy.
DATABASE_REPLICA_STICKY_SECONDS = env_int("DATABASE_REPLICA_STICKY_SECONDS", 5)
# The Retry-After (seconds) of the 503 answered while the database is unreachable.
DATABASE_UNAVAILABLE_RETRY_AFTER = env_int("DATABASE_UNAVAILABLE_RETRY_AFTER", 10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Simplified Chinese by default, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "communities" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files (repair photos, design documents) at MEDIA_URL, through communities.core.media:
# with nosniff, and as an attachment unless an image. MEDIA_ACCEL_REDIRECT ("/protected-media/")
# hands the sending to nginx (X-Accel-Redirect to that internal location); otherwise Django
# sends the bytes. MEDIA_SERVE off: /media/ is not answered here (a server in front serves it).
MEDIA_ACCEL_REDIRECT = os.environ.get("DJANGO_MEDIA_ACCEL_REDIRECT", "").strip()
if MEDIA_ACCEL_REDIRECT and not (
    MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured("DJANGO_MEDIA_ACCEL_REDIRECT must start and end with /")
MEDIA_SERVE = env_bool("DJANGO_MEDIA_SERVE", DEBUG or bool(MEDIA_ACCEL_REDIRECT))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache: local memory by default, Redis when REDIS_URL is set. Sessions then read through Redis
# and are written to the database as well (cached_db): no database query to load a session, and
# an evicted key or a Redis restart does not log everyone out.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis_timeout = env_int("REDIS_TIMEOUT", 2)
    CACHES = {
        "default": {
            "BACKEND": "renovation.cache.CountingRedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast (and answer 503) rather than hang a worker when Redis is unreachable.
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "renovation.cache.CountingLocMemCache"}}

# Anonymous reads of the public site and the read API are served from the cache until the data
# they show changes (communities.core.caching), and kept at most this long (0 turns it off). With
# Redis every process sees a change at once; with local memory another process's copy may be
# this old, so the bound is short.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600 if REDIS_URL else 60)

_SESSION_ENGINES = {"db", "cache", "cached_db", "file", "signed_cookies"}
_session_engine = os.environ.get("SESSION_ENGINE", "") or ("cached_db" if REDIS_URL else "db")
if "." not in _session_engine:
    if _session_engine not in _SESSION_ENGINES:
        raise ImproperlyConfigured(
            f"SESSION_ENGINE must be one of {sorted(_SESSION_ENGINES)} or a dotted path, "
            f"not {_session_engine!r}"
        )
    _session_engine = f"django.contrib.sessions.backends.{_session_engine}"
if _session_engine.endswith((".cache", ".cached_db")) and not REDIS_URL:
    # Each process has its own local-memory cache: a session ended in one would live on in the
    # others.
    raise ImproperlyConfigured("SESSION_ENGINE cache and cached_db need REDIS_URL")
SESSION_ENGINE = _session_engine

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "communities.core.api.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "communities.core.api.filtering.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "communities.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's JSON written by orjson, several times faster (communities/core/api/renderers.py says
    # how the two agree), and DRF's browsable API.
    "DEFAULT_RENDERER_CLASSES": [
        "communities.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON nested deeper than API_MAX_JSON_DEPTH is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "communities.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Per client address as communities.core.client_ip resolves it (per user once signed in).
    "DEFAULT_THROTTLE_CLASSES": [
        "communities.core.throttles.AnonRateThrottle",
        "communities.core.throttles.UserRateThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Every rate of the site, the API's and the plain views' (communities/core/throttles.py).
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "600/minute"),
        "user": env_rate("API_THROTTLE_USER", "3000/minute"),
        # The public community list and its CSV export, per client address.
        "site_list": env_rate("SITE_THROTTLE_LIST", "120/minute"),
        "site_export": env_rate("SITE_THROTTLE_EXPORT", "30/hour"),
        # Open311 filing (POST requests.json/xml): per API key and per client address.
        "open311_key": env_rate("OPEN311_THROTTLE_KEY", "600/hour"),
        "open311_address": env_rate("OPEN311_THROTTLE_ADDRESS", "600/hour"),
        # Subscribing to a community's or district's news by email, per client address.
        "follow_subscribe": env_rate("FOLLOW_THROTTLE_SUBSCRIBE", "10/hour"),
        # The public report form (/report/): filings and me-toos per client address and per
        # mobile number.
        "report_address": env_rate("REPORT_THROTTLE_ADDRESS", "20/hour"),
        "report_phone": env_rate("REPORT_THROTTLE_PHONE", "5/hour"),
        # Residents filing objections to a notice (API and site), per client address.
        "objection_file": env_rate("OBJECTION_THROTTLE_ADDRESS", "20/hour"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Renovation Tracker API",
    "DESCRIPTION": (
        "Old residential community renovation (城镇老旧小区改造): communities, renovation items, "
        "elevator retrofits, property services and facilities."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One named enum per choice set, whatever the field is called in a serializer.
    "ENUM_NAME_OVERRIDES": {
        "RenovationStatusEnum": "communities.places.choices.RenovationStatus",
        "ItemStatusEnum": "communities.works.choices.ItemStatus",
        "FacilityKindEnum": "communities.works.choices.FacilityKind",
        "ManagementModeEnum": "communities.property.choices.ManagementMode",
        "FundingSourceEnum": "communities.works.choices.FundingSource",
        "ElevatorStageEnum": "communities.elevators.choices.ElevatorStage",
        "SafetyGradeEnum": "communities.places.choices.SafetyGrade",
        "CategoryEnum": "communities.works.choices.Category",
        "VoteChoiceEnum": "communities.elevators.choices.VoteChoice",
        "RepairCategoryEnum": "communities.repairs.choices.RepairCategory",
        "RepairSourceEnum": "communities.repairs.choices.RepairSource",
        "RepairStatusEnum": "communities.repairs.choices.RepairStatus",
        "RepairActionEnum": "communities.repairs.choices.RepairAction",
        "HandlerKindEnum": "communities.repairs.choices.HandlerKind",
        "ClosedByEnum": "communities.repairs.choices.ClosedBy",
        "ProposalChannelEnum": "communities.participation.choices.Channel",
        "ProposalStatusEnum": "communities.participation.choices.ProposalStatus",
        "DesignPlanStatusEnum": "communities.works.choices.DesignPlanStatus",
        "NoticeStateEnum": "communities.works.choices.NoticeState",
        # Objections' read-only status codes (status_code_field: values without labels).
        "ObjectionStatusEnum": ["pending", "published", "hidden"],
    },
}

# Tiles of the public site's maps; an empty MAP_TILE_URL draws markers on a plain background.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# Domain settings: the rules a city may set differently. See communities/elevators/policy.py.
RENOVATION = {
    # Communities built in or after this year are not eligible for the programme.
    "ELIGIBLE_BUILT_BEFORE": env_int("RENOVATION_ELIGIBLE_BUILT_BEFORE", 2001),
    # Repair requests (报修): hours the handler has to resolve one, for an emergency of any
    # category and per category otherwise (RENOVATION_REPAIR_HOURS_<CATEGORY>).
    "REPAIR_DEADLINE_HOURS": {
        "emergency": env_int("RENOVATION_REPAIR_HOURS_EMERGENCY", 24),
        **{
            category: env_int(f"RENOVATION_REPAIR_HOURS_{category.upper()}", hours)
            for category, hours in [
                ("plumbing", 72),
                ("electrical", 72),
                ("elevator", 24),
                ("roof_leak", 72),
                ("sanitation", 72),
                ("greening", 168),
                ("security", 72),
                ("public_facility", 72),
                ("other", 72),
            ]
        },
    },
    # Days after resolution when a request the reporter has not rated closes by itself.
    "REPAIR_AUTO_CLOSE_DAYS": env_int("RENOVATION_REPAIR_AUTO_CLOSE_DAYS", 7),
    # Open311 GeoReport v2: this endpoint's jurisdiction_id, and how far (metres) a reported
    # lat/long may lie from a community's centre to be filed under it.
    "OPEN311_JURISDICTION": os.environ.get("RENOVATION_OPEN311_JURISDICTION", "taian.gov.cn"),
    "OPEN311_MATCH_RADIUS_M": env_int("RENOVATION_OPEN311_MATCH_RADIUS_M", 1000),
    # The public report form (/report/): how many open requests one mobile number may have at
    # once, and how near (metres) an open public request of the same category must be to be
    # offered as "is it one of these?" before a new one is filed.
    "REPORT_MAX_OPEN_PER_PHONE": env_int("RENOVATION_REPORT_MAX_OPEN_PER_PHONE", 3),
    "REPORT_NEARBY_RADIUS_M": env_int("RENOVATION_REPORT_NEARBY_RADIUS_M", 50),
    # Elevator retrofits: the code of the vote rule new retrofits get (a VoteRule row;
    # "civil-code-278" or "chengdu-2018" are seeded), the days a public notice lasts before
    # approval (each retrofit keeps its own copy), and the total cost in yuan above which
    # construction needs a permit.
    "ELEVATOR_VOTE_RULE": os.environ.get("RENOVATION_ELEVATOR_VOTE_RULE", "civil-code-278"),
    "ELEVATOR_NOTICE_DAYS": env_int("RENOVATION_ELEVATOR_NOTICE_DAYS", 20),
    "ELEVATOR_PERMIT_ABOVE": env_int("RENOVATION_ELEVATOR_PERMIT_ABOVE", 300000),
    # Residents take part (点菜, 炒菜, 评菜): from this renovation batch year on, an item may
    # start construction only under an approved design plan of its community's batch, approved
    # on or before the day work began. Earlier batches were approved on paper before the city
    # kept plans in this system, so their items are not held to it.
    "DESIGN_PLAN_REQUIRED_FROM_YEAR": env_int("RENOVATION_DESIGN_PLAN_REQUIRED_FROM_YEAR", 2024),
    # The public satisfaction ranking leaves out communities and contractors with fewer ratings
    # than this: a handful of households says little about a whole community.
    "SATISFACTION_MIN_RATINGS": env_int("RENOVATION_SATISFACTION_MIN_RATINGS", 10),
}

# Production hardening, active whenever debug is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# Form posts larger than this (in bytes, files apart) are refused with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 2621440)
# A request whose Content-Length exceeds this (in bytes, files included) is refused with 413
# before anything reads it (renovation/limits.py): the largest upload (a 50 MB participation
# document) and its form, with room to spare.
DATA_UPLOAD_MAX_REQUEST_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_REQUEST_SIZE", 52 * 1024 * 1024)
# API write bodies: JSON nested deeper than this is refused with 400
# (communities/core/api/parsers.py).
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 32)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts, styles, fonts and data from this site only;
# images also from the map's tile server. Inline style attributes (progress bars' widths) and
# the error page's <style> need 'unsafe-inline' for styles; no inline script is allowed.
_tiles = urlsplit(MAP_TILE_URL.replace("{s}.", "*."))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": [
            "'self'",
            "data:",
            *([f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []),
        ],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Imports and exports in the admin (django-import-export): every import runs in one
# transaction and is refused whole if any row is invalid.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_FORMATS = [XLSX, CSV]

# Logs: one JSON object per line in production (LOG_FORMAT=json, the default with debug off),
# readable text in development; every line carries the request's id, method, path and user id
# (renovation/logs.py), and each request ends with one "request finished" line (LOG_REQUESTS).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOG_REQUESTS = env_bool("LOG_REQUESTS", True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "renovation.logs.JsonFormatter"},
        "text": {"()": "renovation.logs.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # The closing line of every request, whatever the root level.
    "loggers": {"renovation.request": {"level": "INFO"}},
}

# The garbage collector of the processes that serve requests (communities/core/gc_tuning.py): what
# start-up made is frozen and a young collection waits for 50,000 new objects instead of 700.
# "off" leaves Python's collector as it is.
GC_THRESHOLDS = env_gc_thresholds("GC_THRESHOLDS", (50_000, 20, 10))

# --- Following a community or a district (communities.following) -----------------------------
# Mail: the SMTP server alerts and confirmations go out through; the console in development.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@renovation.example.gov.cn")
# The site's address as residents reach it: mails sent by the worker carry absolute links.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# The worker's queue (renovation/celery.py): Celery with Redis as the broker. Without a broker
# (the embedded default) tasks run in the process that sends them.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# How long a subscription's confirmation link stays valid.
FOLLOW_CONFIRM_DAYS = env_int("FOLLOW_CONFIRM_DAYS", 7)
# Prometheus metrics at /metrics (renovation/metrics.py): 404 unless a bearer token or allowed
# client addresses (IPs or networks such as 10.0.0.0/8) are set; with both, both must match.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS must list addresses or networks, not {_network!r}"
        ) from exc
