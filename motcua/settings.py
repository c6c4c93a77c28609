"""motcua settings: one module, every value from the environment.

DEBUG is off unless the environment turns it on (`make demo` and the test settings do): a
deployment that forgets it shows no tracebacks. With DEBUG off the process refuses to start
unless SECRET_KEY (or SECRET_KEY_FILE) and ALLOWED_HOSTS are set to real values. The
production stack (`make serve`, deploy/) is described in docs/deployment.md.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from motcua.runtime.sqlite import QueuedConnection

BASE_DIR = Path(__file__).resolve().parent.parent
INSECURE_DEV_KEY = "django-insecure-motcua-development-only"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (systemd credentials, a file
    only the service user reads)."""
    path = os.environ.get(f"{name}_FILE")
    if path and name not in os.environ:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", INSECURE_DEV_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")

if not DEBUG:
    if SECRET_KEY == INSECURE_DEV_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 32+ characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the real host names")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # its Swagger UI files, served by us: the API docs work without internet
    "csp",
    "django_tasks",
    "django_tasks_db",
    "motcua.runtime",
    "motcua.outbox",
    "motcua.audit",
    "motcua.organisations",
    "motcua.workdays",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.reports",
    "motcua.synthetic",
    "motcua.documents",
    "motcua.throttle",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.demo",
    "motcua.api",
    "motcua.backups",
    "motcua.accounts",  # citizens and businesses, national sign-in (below)
    "motcua.fakeidp",  # the fake identity provider, served only with MOTCUA_FAKE_IDP
    "motcua.notifications",
    "motcua.filing",  # online filing: e-forms, drafts, supplements and withdrawal online
    "motcua.payments",  # fees and charges, payments at the counter, receipts
    "motcua.fakepay",  # the fake national payment platform, served only with MOTCUA_FAKE_PAYMENTS
    "motcua.signing",  # signed results, forms and copies; the public verification page
    "motcua.registry",  # digitised documents and results, reused at later intakes
    "motcua.feedback",  # ratings and the register of feedback and complaints (PAKN)
    "motcua.queueing",  # queue tickets, counters, kiosk, board, lookup kiosk, rating tablet
    "axes",  # failed sign-ins per username and address (below)
    "django_otp",  # two-step sign-in for administrators (below)
    "django_otp.plugins.otp_totp",
]

# Session, CSRF, authentication and messages are Django's own. The public tracking API costs
# them almost nothing: it reads no session or user (both are loaded lazily) and ninja's views
# are exempt from the CSRF check (decision 0010).
MIDDLEWARE = [
    "motcua.runtime.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "motcua.runtime.middleware.DatabaseUnavailableMiddleware",
    "motcua.runtime.middleware.RefuseNulMiddleware",  # NUL in a request: 400, never a 500
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.accounts.middleware.CitizenScopeMiddleware",  # citizens are nobody at staff doors
    "motcua.backoffice.session_activity.SessionActivityMiddleware",  # idle sign-out (below)
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "motcua.backoffice.otp_required.AdminOTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out sign-in into our lockout page
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
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

# --- Database -------------------------------------------------------------------------------
# SQLite for a commune PC, PostgreSQL for a province via DATABASE_URL (docs/deployment.md;
# decision record 0008 for the choices below).
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL (readers never wait for the writer); IMMEDIATE transactions (a writer takes the lock
    # when it starts, so two writers never deadlock halfway); synchronous=FULL: a commit is on
    # disk before it is acknowledged, so a power cut never gives a receipt number already
    # printed to another dossier (NORMAL may lose the last commits). Writers take turns in a
    # queue of ours instead of polling SQLite's lock (runtime/sqlite.py); the busy timeout
    # bounds a writer's wait there. Connections are kept per thread: opening SQLite and
    # running the PRAGMAs on every request cost about 1 ms.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Writers take turns for the write lock instead of polling it (runtime/sqlite.py).
        **({"factory": QueuedConnection} if env_bool("MOTCUA_SQLITE_QUEUE", True) else {}),
        "timeout": int(os.environ.get("MOTCUA_SQLITE_BUSY_TIMEOUT", "10")),
        "init_command": (
            "PRAGMA journal_mode=WAL; "
            f"PRAGMA synchronous={os.environ.get('MOTCUA_SQLITE_SYNCHRONOUS', 'FULL')}; "
            "PRAGMA foreign_keys=ON;"
        ),
    }
elif env_bool("MOTCUA_DB_POOL", True):
    # PostgreSQL: a connection pool per server process (psycopg_pool through Django), sized to
    # the process's threads (at least 4) so that the server can never open more connections than
    # workers x MOTCUA_DB_POOL_MAX; each connection is checked before it is lent, so a
    # PostgreSQL restart costs no request a 500.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # the pool checks before lending
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("MOTCUA_DB_POOL_MIN", "1")),
        # At least 4: a request may hold a connection while another thread of the process
        # needs one (the fake platforms answering their callers in the demo and the tests).
        "max_size": int(
            os.environ.get(
                "MOTCUA_DB_POOL_MAX", str(max(4, int(os.environ.get("MOTCUA_THREADS", "2"))))
            )
        ),
        "timeout": int(os.environ.get("MOTCUA_DB_POOL_TIMEOUT", "10")),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Passwords are stored with Argon2 (argon2-cffi); hashes made by an older setting (PBKDF2) are
# still accepted and rewritten with Argon2 at the next successful sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "backoffice:login"

# --- Sign-in security (docs/security.md) ----------------------------------------------------
# django-axes counts failed sign-ins per username and client address (the same address as the
# tracking limits: MOTCUA_TRUSTED_PROXY_COUNT) at /backoffice/ and /admin/; after
# MOTCUA_LOGIN_FAILURE_LIMIT failures that pair is refused for MOTCUA_LOGIN_COOLOFF_MINUTES,
# the right password included. A success clears the pair's failures.
MOTCUA_LOGIN_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
MOTCUA_LOGIN_COOLOFF_MINUTES = int(os.environ.get("MOTCUA_LOGIN_COOLOFF_MINUTES", "15"))
if MOTCUA_LOGIN_FAILURE_LIMIT < 1 or MOTCUA_LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "MOTCUA_LOGIN_FAILURE_LIMIT and MOTCUA_LOGIN_COOLOFF_MINUTES must be at least 1"
    )
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair
    "django.contrib.auth.backends.ModelBackend",
    "motcua.accounts.backends.CitizenBackend",  # loads signed-in citizens only
]
AXES_FAILURE_LIMIT = MOTCUA_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=MOTCUA_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "motcua.throttle.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "motcua.backoffice.lockout.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failed sign-in, shown in the admin
AXES_ENABLE_ADMIN = False  # registered by motcua/throttle/admin.py, for system admins only
# Administrators may enrol an authenticator app (TOTP, /backoffice/bao-mat/xac-thuc-hai-buoc/);
# with MOTCUA_ADMIN_REQUIRE_OTP=true the admin site needs a code once per session (default off).
MOTCUA_ADMIN_REQUIRE_OTP = env_bool("MOTCUA_ADMIN_REQUIRE_OTP", False)
OTP_TOTP_ISSUER = os.environ.get("MOTCUA_OTP_ISSUER", "motcua")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Citizen sign-in (motcua/accounts, docs/citizen-sign-in.md) -----------------------------
# The national identity providers as OpenID Connect clients, each from
# MOTCUA_OIDC_<DVCQG|VNEID>_<CLIENT_ID|CLIENT_SECRET|AUTHORIZATION_ENDPOINT|TOKEN_ENDPOINT|
# USERINFO_ENDPOINT|JWKS_ENDPOINT|END_SESSION_ENDPOINT|ISSUER|ACR_VALUES|SCOPES> (the secret
# also from a _FILE); a provider is enabled when its client id is set: none by default.
# MOTCUA_FAKE_IDP (default: DEBUG) serves the fake provider at /fake-idp/ and points every
# provider not configured at it; never turn it on in production.
MOTCUA_OIDC_PROVIDERS = {
    key: {
        name.lower(): (env_secret if name == "CLIENT_SECRET" else os.environ.get)(
            f"MOTCUA_OIDC_{key.upper()}_{name}", ""
        )
        for name in (
            "CLIENT_ID", "CLIENT_SECRET", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT",
            "USERINFO_ENDPOINT", "JWKS_ENDPOINT", "END_SESSION_ENDPOINT", "ISSUER",
            "ACR_VALUES", "SCOPES",
        )
    }
    for key in ("dvcqg", "vneid")
}  # fmt: skip
MOTCUA_OIDC_TIMEOUT = float(os.environ.get("MOTCUA_OIDC_TIMEOUT", "10"))  # seconds per call
MOTCUA_FAKE_IDP = env_bool("MOTCUA_FAKE_IDP", DEBUG)
# Local accounts (docs/citizen-sign-in.md): a person registers with a phone or e-mail and a
# password, confirmed by a one-time code, where national sign-in is not available (an offline
# commune). Default: on in development only.
MOTCUA_LOCAL_ACCOUNTS = env_bool("MOTCUA_LOCAL_ACCOUNTS", DEBUG)

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["motcua.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Static files are served by the application (whitenoise), compressed (gzip, brotli) and with
# content-hashed names cached for a year; `collectstatic` runs at install (make serve).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("MOTCUA_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# --- HTTP security (docs/deployment.md, docs/security.md) -------------------------------------
# The public address (MOTCUA_PUBLIC_URL) says whether the site is served over TLS. Behind
# a TLS-terminating proxy (MOTCUA_TRUSTED_PROXY_COUNT >= 1, nginx sets X-Forwarded-Proto) the
# proxy's word on the scheme is trusted, and browser POSTs from the public origin pass CSRF.
# Unset in development, it is the address the development server listens on (`make demo`
# passes PORT); then the forms printed from a page use the host the browser asked for
# (documents/qr.py), so a demo served on the LAN prints a QR code a phone can open.
MOTCUA_PUBLIC_URL_SET = bool(os.environ.get("MOTCUA_PUBLIC_URL"))
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL") or (
    f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
)
MOTCUA_TRUSTED_PROXY_COUNT = int(os.environ.get("MOTCUA_TRUSTED_PROXY_COUNT", "0"))
_public = urlsplit(MOTCUA_PUBLIC_URL)
if _public.scheme not in {"http", "https"} or not _public.hostname:
    raise ImproperlyConfigured("MOTCUA_PUBLIC_URL must be an http(s) address, e.g. https://host")
PUBLIC_ORIGIN = f"{_public.scheme}://{_public.netloc}"
PUBLIC_IS_HTTPS = _public.scheme == "https"
CSRF_TRUSTED_ORIGINS = [PUBLIC_ORIGIN, *env_list("CSRF_TRUSTED_ORIGINS", "")]
if MOTCUA_TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# A signed-in session ends after MOTCUA_SESSION_IDLE_MINUTES (60) without a request (kept
# alive by motcua/backoffice/session_activity.py), and also when the browser is closed if
# MOTCUA_SESSION_AT_BROWSER_CLOSE is true (default false).
MOTCUA_SESSION_IDLE_MINUTES = int(os.environ.get("MOTCUA_SESSION_IDLE_MINUTES", "60"))
if MOTCUA_SESSION_IDLE_MINUTES < 2:
    raise ImproperlyConfigured("MOTCUA_SESSION_IDLE_MINUTES must be at least 2")
SESSION_COOKIE_AGE = MOTCUA_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("MOTCUA_SESSION_AT_BROWSER_CLOSE", False)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Cookies are marked Secure when the public address is https (a commune PC served over plain
# HTTP on its LAN keeps working); SECURE_COOKIES overrides.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PUBLIC_IS_HTTPS)
if PUBLIC_IS_HTTPS and not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # local monitors ask over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MOTCUA_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("MOTCUA_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # Preloading is a submission to the browsers' lists that a province makes deliberately.
    "security.W021",
]

# Content-Security-Policy (django-csp): our own scripts, styles, images and fonts only; no
# inline script, no framing, forms post only to us. Pages obey it (tested in Chromium).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Logs -------------------------------------------------------------------------------------
# One line per record on standard error (journald keeps them), JSON in production with the
# request id (X-Request-ID, echoed to the client), plain text in development.
MOTCUA_LOG_FORMAT = os.environ.get("MOTCUA_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "motcua.runtime.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "motcua.runtime.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": MOTCUA_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
    "loggers": {
        # Requests that failed: 5xx as errors (with the request id), 4xx as warnings.
        "django.request": {"level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
    },
}
# --- Background work (docs/decisions/0009, docs/deployment.md) ----------------------------------
# django-tasks with its database backend: `manage.py run_worker` runs the queued tasks, the
# periodic jobs and the outbox's deliveries. No broker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A message taken by a worker that died is taken again after the lease (longer than the
# slowest consumer); a failed delivery waits base x 2^(attempt-1) seconds (at most the cap,
# jittered) and is a dead letter after the last attempt. Delivered messages are kept some days.
MOTCUA_OUTBOX_LEASE_SECONDS = float(os.environ.get("MOTCUA_OUTBOX_LEASE_SECONDS", "300"))
MOTCUA_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_OUTBOX_MAX_ATTEMPTS", "10"))
MOTCUA_OUTBOX_BACKOFF_BASE = float(os.environ.get("MOTCUA_OUTBOX_BACKOFF_BASE", "10"))
MOTCUA_OUTBOX_BACKOFF_CAP = float(os.environ.get("MOTCUA_OUTBOX_BACKOFF_CAP", "3600"))
MOTCUA_OUTBOX_KEEP_DAYS = int(os.environ.get("MOTCUA_OUTBOX_KEEP_DAYS", "7"))
# The deadline warnings' period (dossiers.deadlines), in seconds.
MOTCUA_DEADLINES_INTERVAL = float(os.environ.get("MOTCUA_DEADLINES_INTERVAL", "60"))
if MOTCUA_OUTBOX_LEASE_SECONDS <= 0 or MOTCUA_OUTBOX_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("MOTCUA_OUTBOX_LEASE_SECONDS and _MAX_ATTEMPTS must be positive")
if not 0 < MOTCUA_OUTBOX_BACKOFF_BASE <= MOTCUA_OUTBOX_BACKOFF_CAP:
    raise ImproperlyConfigured("need 0 < MOTCUA_OUTBOX_BACKOFF_BASE <= MOTCUA_OUTBOX_BACKOFF_CAP")
if MOTCUA_DEADLINES_INTERVAL <= 0:
    raise ImproperlyConfigured("MOTCUA_DEADLINES_INTERVAL must be positive")

# Health (/healthz): the worker is late when its last run is older than this; the disk is low
# below this many megabytes free where the database and the uploaded files live.
MOTCUA_HEALTH_WORKER_LAG = int(os.environ.get("MOTCUA_HEALTH_WORKER_LAG", "300"))
MOTCUA_HEALTH_MIN_FREE_MB = int(os.environ.get("MOTCUA_HEALTH_MIN_FREE_MB", "1024"))
# The deployed revision (git commit), shown by /healthz beside the version; set at install.
MOTCUA_REVISION = os.environ.get("MOTCUA_REVISION", "")
# Metrics (/metrics, Prometheus text format): off unless a token is set; the scraper sends
# it as "Authorization: Bearer <token>".
MOTCUA_METRICS_TOKEN = env_secret("MOTCUA_METRICS_TOKEN", "")
# Error reports by e-mail (Django's own mail_admins handler, active with DEBUG off: the
# traceback and request of every 500): off unless MOTCUA_ERROR_EMAILS lists addresses; the
# mail server from EMAIL_* below.
ADMINS = [("motcua", address) for address in env_list("MOTCUA_ERROR_EMAILS", "")]
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
SERVER_EMAIL = DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")
# Notices to applicants (motcua/notifications, docs/notifications.md). Channels among console,
# email, sms, zalo; unset: the console with DEBUG on, none otherwise. SMS wait for the end of
# the quiet hours (local time). The SMS gateway and Zalo ZNS from MOTCUA_NOTIFY_SMS_* and
# MOTCUA_NOTIFY_ZALO_* (secrets also from *_FILE).
_notify = os.environ.get("MOTCUA_NOTIFY_CHANNELS")
MOTCUA_NOTIFY_CHANNELS = None if _notify is None else env_list("MOTCUA_NOTIFY_CHANNELS", "")
MOTCUA_NOTIFY_QUIET_HOURS = os.environ.get("MOTCUA_NOTIFY_QUIET_HOURS", "21:00-07:00")
MOTCUA_NOTIFY_EMAIL_BACKEND = os.environ.get("MOTCUA_NOTIFY_EMAIL_BACKEND", "")
MOTCUA_NOTIFY_SMS = {
    "url": os.environ.get("MOTCUA_NOTIFY_SMS_URL", ""),
    "method": os.environ.get("MOTCUA_NOTIFY_SMS_METHOD", "POST"),
    "auth_header": env_secret("MOTCUA_NOTIFY_SMS_AUTH_HEADER", ""),
    "content_type": os.environ.get("MOTCUA_NOTIFY_SMS_CONTENT_TYPE", "application/json"),
    "body": os.environ.get(
        "MOTCUA_NOTIFY_SMS_BODY", '{"to": $phone, "text": $text, "id": $key, "from": $sender}'
    ),
    "sender": os.environ.get("MOTCUA_NOTIFY_SMS_SENDER", ""),
}
MOTCUA_NOTIFY_ZALO = {
    "url": os.environ.get("MOTCUA_NOTIFY_ZALO_URL", "") or None,
    "access_token": env_secret("MOTCUA_NOTIFY_ZALO_ACCESS_TOKEN", ""),
    "access_token_file": os.environ.get("MOTCUA_NOTIFY_ZALO_TOKEN_FILE", ""),
}

# --- motcua policy settings -----------------------------------------------------------------
# Working hours per half-day (local time). Defaults follow common provincial practice
# (domain.md §6.2): 07:30-11:30 and 13:30-17:00.
MOTCUA_MORNING = os.environ.get("MOTCUA_MORNING", "07:30-11:30")
MOTCUA_AFTERNOON = os.environ.get("MOTCUA_AFTERNOON", "13:30-17:00")
# Paper dossiers received after this time count from the next working day (Decree 61/2018
# art. 18). Empty disables the cut-off.
MOTCUA_CUTOFF = os.environ.get("MOTCUA_CUTOFF", "15:00")
# After a supplement requested during appraisal the time limit restarts from the receipt of
# the complete dossier (Decree 61/2018 art. 19.4: "restart"); many systems instead pause the
# clock while waiting ("pause", domain.md §6.1). Procedures may override it.
MOTCUA_SUPPLEMENT_CLOCK = os.environ.get("MOTCUA_SUPPLEMENT_CLOCK", "restart")
if MOTCUA_SUPPLEMENT_CLOCK not in {"restart", "pause"}:
    raise ImproperlyConfigured("MOTCUA_SUPPLEMENT_CLOCK must be 'restart' or 'pause'")

# --- Public tracking (/tra-cuu/, /api/v1/tracking) and attempt limits ------------------------
# Client address for rate limits: REMOTE_ADDR, unless the app runs behind N trusted reverse
# proxies (nginx: 1) that append the client to X-Forwarded-For; set the count only then, or
# clients could forge their address.
# Statistics (reports/figures.py): whether the new appointment given with an apology is the
# one lateness is judged against. Default no: an apology is issued because the dossier is
# late, and it stays counted late (as the provincial systems count it).
MOTCUA_APOLOGY_EXTENDS_DEADLINE = os.environ.get(
    "MOTCUA_APOLOGY_EXTENDS_DEADLINE", "false"
).lower() in {"1", "true", "yes"}
# Statistics and staff pages (dossiers/timeleft.py, decision 0011): a dossier is early, on
# time, late or overdue by the local **day** of its appointment ("day", the default: a period
# in days ends at 24:00 of its last day, Civil Code 2015 art. 148; Biểu 06 as practised), or
# by the appointment's exact **hour** ("hour"). Changing it needs `manage.py rebuild_tallies`.
MOTCUA_ON_TIME_RULE = os.environ.get("MOTCUA_ON_TIME_RULE", "day")
if MOTCUA_ON_TIME_RULE not in {"day", "hour"}:
    raise ImproperlyConfigured("MOTCUA_ON_TIME_RULE must be 'day' or 'hour'")
# When the time limit of a dossier filed online starts (docs/online-filing.md): at its
# reception by a clerk ("received", the default: Decree 61/2018 art. 17.2, the one-stop
# section examines it and receives it), or at the first working moment after its submission
# ("submitted": what some provinces practise so that a slow reception costs the citizen
# nothing; a submission outside working hours counts from the next working moment).
MOTCUA_ONLINE_CLOCK = os.environ.get("MOTCUA_ONLINE_CLOCK", "received")
if MOTCUA_ONLINE_CLOCK not in {"received", "submitted"}:
    raise ImproperlyConfigured("MOTCUA_ONLINE_CLOCK must be 'received' or 'submitted'")
# Lookups per client address per window. Each counted lookup is a database write.
# MOTCUA_TRACKING_IP_LIMIT=0 counts none here: only behind a reverse proxy that limits
# requests per address itself (nginx `limit_req` on /api/v1/tracking/ and /tra-cuu/); `check`
# warns when no trusted proxy is declared.
MOTCUA_TRACKING_IP_LIMIT = int(os.environ.get("MOTCUA_TRACKING_IP_LIMIT", "60"))
MOTCUA_TRACKING_IP_WINDOW = int(os.environ.get("MOTCUA_TRACKING_IP_WINDOW", "600"))
# Wrong secrets (last 4 digits) per client address and dossier code, and per client address
# over all codes, per secret window; always counted here. Never per code alone: a stranger's
# wrong digits must not hide a dossier's details from its owner (decision 0007).
MOTCUA_TRACKING_SECRET_LIMIT = int(os.environ.get("MOTCUA_TRACKING_SECRET_LIMIT", "10"))
MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT = int(
    os.environ.get("MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT", "30")
)
MOTCUA_TRACKING_SECRET_WINDOW = int(os.environ.get("MOTCUA_TRACKING_SECRET_WINDOW", "3600"))
# Expired attempt counters are deleted on about one attempt in this many (0: only by the
# prune_attempt_counters command).
MOTCUA_THROTTLE_PRUNE_EVERY = int(os.environ.get("MOTCUA_THROTTLE_PRUNE_EVERY", "500"))
# MOTCUA_PUBLIC_URL (above) is also the base address printed in QR codes on the forms
# (tracking page: <base>/tra-cuu/?ma=<code>).
# Attachments: largest accepted file, in megabytes (scans of a whole dossier fit in 20 MB).
MOTCUA_MAX_UPLOAD_MB = int(os.environ.get("MOTCUA_MAX_UPLOAD_MB", "20"))
# Online filing (docs/online-filing.md): a draft is kept this many days after its last change;
# a dossier filed online holds at most this many files, and this many MB together.
MOTCUA_DRAFT_DAYS = int(os.environ.get("MOTCUA_DRAFT_DAYS", "30"))
MOTCUA_DRAFT_MAX_FILES = int(os.environ.get("MOTCUA_DRAFT_MAX_FILES", "40"))
MOTCUA_DRAFT_MAX_MB = int(os.environ.get("MOTCUA_DRAFT_MAX_MB", "100"))
# Fees (docs/payments.md): whether a time limit waiting for payment starts at reception or at
# payment (read by nothing yet), and the letters that start every payment reference.
MOTCUA_PAYMENT_CLOCK = os.environ.get("MOTCUA_PAYMENT_CLOCK", "received")
MOTCUA_PAYMENT_PREFIX = os.environ.get("MOTCUA_PAYMENT_PREFIX", "MC")
# The national payment platform (DVCQG, docs/payments.md): its address (INIT, QUERY, GET_BILL),
# our merchant code, the shared secret that signs the messages, the bearer token; enabled
# when the address is set (none by default). MOTCUA_FAKE_PAYMENTS (default: DEBUG) serves a
# fake platform at /fake-pay/ and points the payments at it; never turn it on in production.
MOTCUA_PAYMENT_PLATFORM_URL = os.environ.get("MOTCUA_PAYMENT_PLATFORM_URL", "")
MOTCUA_PAYMENT_PLATFORM_MERCHANT = os.environ.get("MOTCUA_PAYMENT_PLATFORM_MERCHANT", "")
MOTCUA_PAYMENT_PLATFORM_SECRET = env_secret("MOTCUA_PAYMENT_PLATFORM_SECRET", "")
MOTCUA_PAYMENT_PLATFORM_TOKEN = env_secret("MOTCUA_PAYMENT_PLATFORM_TOKEN", "")
MOTCUA_PAYMENT_PLATFORM_TIMEOUT = float(os.environ.get("MOTCUA_PAYMENT_PLATFORM_TIMEOUT", "10"))
MOTCUA_FAKE_PAYMENTS = env_bool("MOTCUA_FAKE_PAYMENTS", DEBUG)

# Digital signatures (docs/signing.md). Roots to trust when validating (PEM files, separated by
# ":"), the RFC 3161 timestamp authority, B-LT (fetch CRL/OCSP), the agency's seal on forms.
# MOTCUA_DEMO_PKI: the throwaway PKI of `manage.py seed_demo_signing` (its root trusted, its
# TSA answering in-process); default var/signing in development when it exists, else none.
# MOTCUA_DEMO_SOFTHSM: the demo's keys on a SoftHSM2 token (when installed) or in files.
MOTCUA_SIGNING_TRUST_ROOTS = [
    p for p in os.environ.get("MOTCUA_SIGNING_TRUST_ROOTS", "").split(":") if p
]
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "")
MOTCUA_SIGNING_LTV = env_bool("MOTCUA_SIGNING_LTV", False)
MOTCUA_SIGN_FORMS = env_bool("MOTCUA_SIGN_FORMS", False)
MOTCUA_DEMO_PKI = os.environ.get(
    "MOTCUA_DEMO_PKI",
    str(BASE_DIR / "var" / "signing") if DEBUG and (BASE_DIR / "var" / "signing").is_dir() else "",
)
MOTCUA_DEMO_SOFTHSM = env_bool("MOTCUA_DEMO_SOFTHSM", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
