"""Background work: the transactional outbox and the worker (decision record 0009).

What must happen after a change (a notification, a sync message, a recomputation) is written
as an `OutboxMessage` in the change's own transaction (`services.enqueue`) and delivered at
least once, after commit, by the worker (`manage.py run_worker`) to the consumer registered
for its topic (`consumers.register`). The worker also runs the periodic jobs (`schedule`) as
django-tasks tasks on the database backend (django-tasks-db).
"""
