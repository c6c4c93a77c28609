"""gunicorn settings for motcua, from the environment (docs/deployment.md).

One process per core, two threads each, on both databases (decision record 0008, measured
with 50 clerks on two cores). SQLite has one writer at a time: the processes' write
transactions take turns through a lock of their own (motcua/runtime/sqlite.py) instead of
polling SQLite's. On PostgreSQL each process has a connection pool sized to its threads
(motcua/settings.py).
"""

import multiprocessing
import os

bind = os.environ.get("MOTCUA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MOTCUA_WORKERS", str(multiprocessing.cpu_count())))
worker_class = "gthread"
# Two threads a process: one runs Python while the other waits for the database. More only
# queue for the process's GIL, and a thread that holds a database lock (SQLite's turn, the
# day's receipt counter on PostgreSQL) while it waits for the GIL makes every writer wait:
# at 50 clerks on two cores, 2 x 4 threads had a p99 of 0.75 s on SQLite and 1.37 s on
# PostgreSQL, 2 x 2 threads 0.56 s and 0.84 s (decision 0008).
threads = int(os.environ.get("MOTCUA_THREADS", "2"))
# A request that runs longer than this is killed and logged (a report export is the slowest).
timeout = int(os.environ.get("MOTCUA_REQUEST_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
backlog = 2048
# Restart a process after this many requests (and a little jitter), against slow leaks: a few
# times a day at a busy centre. Each restart loads the application again (2-3 s of a core),
# and its clients wait meanwhile: at 5,000 a process was replaced every two minutes under the
# 50-clerk load, and those restarts made the tail (PostgreSQL p99 1.04 s, 0.83 s without;
# decision 0008). 0: never.
max_requests = int(os.environ.get("MOTCUA_MAX_REQUESTS", "100000"))
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
