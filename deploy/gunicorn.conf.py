"""gunicorn settings for motcua, from the environment (docs/deployment.md).

SQLite has one writer at a time: on SQLite one process with a few threads (the default) keeps
the writers few, so that waiting requests queue in the server's accept queue, in order,
instead of polling SQLite's lock (decision record 0008). PostgreSQL takes several processes,
each with its own connection pool sized to its threads (motcua/settings.py).
"""

import multiprocessing
import os

_sqlite = not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))

bind = os.environ.get("MOTCUA_BIND", "127.0.0.1:8000")
workers = int(
    os.environ.get("MOTCUA_WORKERS", "1" if _sqlite else str(multiprocessing.cpu_count()))
)
worker_class = "gthread"
# Four threads a process: measured best on two cores for both databases (decision 0008);
# more threads only lengthen the queue inside the process (the GIL, SQLite's lock).
threads = int(os.environ.get("MOTCUA_THREADS", "4"))
# A request that runs longer than this is killed and logged (a report export is the slowest).
timeout = int(os.environ.get("MOTCUA_REQUEST_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
backlog = 2048
# Restart a process after this many requests (and a little jitter), against slow leaks. Not
# on SQLite by default: its one process restarting stops all service for ~2 s (decision 0008).
max_requests = int(os.environ.get("MOTCUA_MAX_REQUESTS", "0" if _sqlite else "5000"))
max_requests_jitter = max_requests // 10
# Only the local proxy may say which scheme and client a request came from.
forwarded_allow_ips = os.environ.get("MOTCUA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("MOTCUA_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
# Limits on what a client may send before Django sees it (nginx applies its own too).
limit_request_line = 8190
limit_request_fields = 100


def post_worker_init(worker) -> None:
    """Once the application is loaded: its objects (Django's apps, models, settings, the
    modules) are set aside from the garbage collector's passes, which otherwise walk them
    all, every few requests, in the middle of one: a pause of about 0.1 s every fourth quality
    page at a million dossiers (p95 278 ms, median 173 ms; 192/154 ms frozen). Python's
    gc.freeze(), meant for this (https://docs.python.org/3/library/gc.html#gc.freeze)."""
    import gc

    gc.collect()
    gc.freeze()
