"""motcua settings: one module, every value from the environment.

A fresh clone runs with no environment at all (SQLite, DEBUG on). With DEBUG off the process
refuses to start unless SECRET_KEY and ALLOWED_HOSTS are set to real values.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_KEY)
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
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "motcua.audit",
    "motcua.organisations",
    "motcua.workdays",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.reports",
    "motcua.documents",
    "motcua.throttle",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.demo",
    "motcua.api",
]

# Session, CSRF, authentication and messages are Django's own, except that they step aside
# on the stateless public tracking API (motcua/stateless.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.stateless.SessionMiddleware",
    "motcua.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "motcua.stateless.CsrfViewMiddleware",
    "motcua.stateless.AuthenticationMiddleware",
    "motcua.stateless.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# SQLite for a commune PC (WAL, IMMEDIATE transactions so writers queue instead of failing,
# a busy timeout); PostgreSQL for a province via DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (per thread) like PostgreSQL's: opening SQLite and running the
    # PRAGMAs on every request cost about 1 ms (bench/bench_tracking.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "backoffice:login"

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
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
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
MOTCUA_TRUSTED_PROXY_COUNT = int(os.environ.get("MOTCUA_TRUSTED_PROXY_COUNT", "0"))
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
# Base address printed in QR codes on the forms (tracking page: <base>/tra-cuu/?ma=<code>).
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
# Attachments: largest accepted file, in megabytes (scans of a whole dossier fit in 20 MB).
MOTCUA_MAX_UPLOAD_MB = int(os.environ.get("MOTCUA_MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
