"""`python -m bench.viewflow_site.run N` (with DATABASE_URL naming an empty scratch database,
which bench/bench_lifecycle.py provides): migrates it, runs N dossiers through the flow
(flows.py) and prints the seconds of each transition as JSON, the receipt of each dossier
first, in the order bench_lifecycle's motcua run reports them."""

import json
import os
import sys
import time
from types import SimpleNamespace


def main(dossiers: int, warm_up: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.viewflow_site.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    users = _users()
    _run(users, warm_up)
    print(json.dumps(_run(users, dossiers)))


def _users() -> dict:
    from django.contrib.auth import get_user_model

    create = get_user_model().objects.create_user
    return {name: create(name) for name in ("clerk", "specialist", "head", "leader")}


def _run(users: dict, dossiers: int) -> list[float]:
    from django.db import transaction
    from viewflow.workflow.status import STATUS

    from .flows import TASKS, DossierFlow

    timings: list[float] = []
    for n in range(dossiers):
        started = time.perf_counter()
        with transaction.atomic():
            process = DossierFlow.start.run(code=f"BENCH-{n:06d}", applicant="Nguyễn Văn An")
        timings.append(time.perf_counter() - started)
        for name, owner in TASKS:
            task = process.task_set.get(status=STATUS.ASSIGNED)  # the officer's inbox
            assert task.flow_task.name == name
            started = time.perf_counter()
            _complete(task, users[owner])
            timings.append(time.perf_counter() - started)
    return timings


def _complete(task, user) -> None:
    """What viewflow's task view does for a submitted form: check the officer may execute
    the task, start it, save the process, complete it and activate the next task; under the
    flow's lock, in one transaction."""
    with task.activation() as activation:
        if not activation.flow_task.can_execute(user, activation.task):
            raise PermissionError(user)
        activation.start(SimpleNamespace(user=user))
        activation.process.stage = activation.flow_task.name
        activation.process.save()
        activation.execute()


def count_queries() -> None:
    """The statements of one dossier's transitions (for the decision record)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.viewflow_site.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", run_syncdb=True, verbosity=0)
    users = _users()
    _run(users, 1)
    with CaptureQueriesContext(connection) as queries:
        _run(users, 1)
    for query in queries.captured_queries:
        print(query["sql"][:150])


if __name__ == "__main__" and sys.argv[1] == "queries":
    count_queries()
elif __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5)
