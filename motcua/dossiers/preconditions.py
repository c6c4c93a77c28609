"""What an action was prepared against, checked before it runs (issue 11 §2).

A page or an API client reads a dossier, then sends an action. By the time the action
arrives, it may already have been done (a double click, a retried request) or someone else
may have moved the dossier on: "complete the step in progress" sent twice would complete the
next step too, recording an appraisal nobody made. So an action names what it acts on: the
dossier's `version` as the caller saw it (Dossier.save counts every change) and/or the id of
the step in progress. Under the dossier's lock, anything else is refused as `stale_action`.

The back-office forms always send the version. API clients may send either; for the actions
that act on the step in progress (`STEP_ACTIONS` in operations.py) one of the two is
required, so that a replay can never apply to the next step.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import DossierError
from .models import Dossier, DossierStep

STALE = 409
REQUIRED = 428  # Precondition Required (RFC 6585)


def stale_version() -> DossierError:
    return DossierError(
        "stale_action",
        _(
            "The dossier has changed since it was read: the action was already done, or "
            "someone else acted on it. Check its current state and try again if needed."
        ),
        status=STALE,
    )


def stale_step() -> DossierError:
    return DossierError(
        "stale_action",
        _("This step is no longer in progress: it was completed, or someone else changed it."),
        status=STALE,
    )


def active_step_id(dossier: Dossier) -> int | None:
    active = DossierStep.objects.filter(dossier_id=dossier.pk, state=DossierStep.State.ACTIVE)
    return active.values_list("pk", flat=True).first()


@dataclass(frozen=True)
class Expected:
    """The dossier's version and the step in progress as the caller saw them (either may be
    unknown: None)."""

    version: int | None = None
    step: int | None = None

    def check(self, locked: Dossier, *, names_step: bool) -> None:
        """Refuse the action unless the dossier (read under its lock) is still as the caller
        saw it. `names_step`: the action acts on the step in progress, so the caller must
        name the step or the version."""
        if self.version is None and self.step is None:
            if names_step:
                raise DossierError(
                    "precondition_required",
                    _(
                        "Send the id of the step in progress (step) or the dossier's version "
                        "(expected_version), so that a repeated request is not applied twice."
                    ),
                    status=REQUIRED,
                )
            return
        if self.version is not None and self.version != locked.version:
            raise stale_version()
        if self.step is not None and self.step != active_step_id(locked):
            raise stale_step()
