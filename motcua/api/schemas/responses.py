"""The answers each kind of route documents besides its success, all in the error shape
(api/errors.py), so that a client (and the schema-driven fuzz run, bench/fuzz_api.py) can
rely on the statuses of the OpenAPI document. 500 is never documented: it is a bug."""

from typing import Any

from .tracking import ErrorOut

# 400 unreadable body or a refused rule, 401 no or a bad token, 403 CSRF or permission,
# 404 unknown or invisible object, 409 not in this status, 413 body too large,
# 422 invalid input, 428 an action on the step in progress without a precondition.
STAFF_READ = (401, 404, 422)
STAFF_WRITE = (400, 401, 403, 404, 409, 413, 422)
STEP_ACTION = (*STAFF_WRITE, 428)


def answers(success: Any, errors: tuple[int, ...], *, status: int = 200) -> dict[int, Any]:
    return {status: success, **dict.fromkeys(errors, ErrorOut)}
