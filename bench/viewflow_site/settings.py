"""Settings of the viewflow baseline: motcua's own database settings (SQLite in WAL mode with
synchronous=FULL and IMMEDIATE transactions, or PostgreSQL from DATABASE_URL, as deployed),
DEBUG off, and only the apps a viewflow project needs."""

from motcua.settings import DATABASES, DEFAULT_AUTO_FIELD, SECRET_KEY, TIME_ZONE  # noqa: F401

DEBUG = False
USE_TZ = True
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "viewflow",
    "viewflow.workflow",
    "bench.viewflow_site",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.viewflow_site.urls"
TEMPLATES: list[dict] = []
