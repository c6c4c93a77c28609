"""The system as an actor: what the worker, a management command or a consumer of the outbox
passes as `actor=` when nobody in particular acts (a deadline warning, a deadline moved by a
calendar change, a periodic job).

The API is three names:

* `SYSTEM`: the one system actor. It is not a user: it has no `pk` (records it makes have
  actor NULL; dossier events also say `"system": true` in their data), it is not
  authenticated, and it never passes a check meant for people.
* `is_system(actor)`: whether `actor` is SYSTEM.
* `SYSTEM_CAPABILITIES`: what the system may do, in every agency. `permissions.can(SYSTEM,
  capability, agency)` answers from this set alone (no query).

`actor=None` keeps its older meaning in the services that accept it (nobody checked: data
loaded by a command), but new code calls services as SYSTEM: a permission check then says
what the system may do instead of being skipped.
"""

from typing import Final, final

from .roles import Capability

# Reading dossiers and statistics (notifications, sync, snapshots), and the calendar that
# yearly notices change (a job may load them). Nothing that decides a dossier's outcome.
SYSTEM_CAPABILITIES: Final = frozenset(
    {Capability.VIEW_DOSSIERS, Capability.VIEW_REPORTS, Capability.MANAGE_CALENDAR}
)


@final
class _System:
    """The type of SYSTEM (one instance)."""

    pk = None
    is_authenticated = False
    is_active = False
    is_superuser = False
    is_staff = False
    username = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"


SYSTEM: Final = _System()


def is_system(actor: object) -> bool:
    return actor is SYSTEM
