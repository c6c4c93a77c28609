"""Financial obligations (nghĩa vụ tài chính): status 6 (domain.md §3.2).

Taxes or fees the applicant must pay before processing continues, e.g. land-use levies.
Policy: the clock always pauses while waiting for the payment (clock.py): the time the
applicant takes to pay is not the agency's (land registration: Decree 43/2014 art. 61.4),
so on confirmation the appointment and the step's deadline move by the working time paused.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.workdays.loader import get_calendar

from . import policy
from .clock import clock_start, hours_text, limit_due, resume_after_pause, shift
from .errors import DossierError
from .events import record
from .flow import lock, move, plan_of, require_text
from .models import Dossier, FinancialObligation
from .policy import Operation
from .status import OPEN, Action


def _amount(amount: Decimal | int | None) -> Decimal | None:
    if amount is None:
        return None
    value = Decimal(amount)
    if value < 0 or value != value.to_integral_value():
        raise DossierError("invalid_amount", _("The amount is a whole, non-negative number."))
    return value


@transaction.atomic
def require_payment(
    dossier: Dossier, *, actor, description: str, amount: Decimal | int | None = None
) -> FinancialObligation:
    """Ask the applicant to fulfil a financial obligation (status 4 -> 6). The clock
    pauses until `confirm_payment`."""
    dossier = lock(dossier)
    previous = move(dossier, Action.REQUIRE_PAYMENT)
    plan = plan_of(dossier)
    # The receiving agency's clerks (fees are paid at the counter), or whoever works on the
    # step in progress.
    policy.check(actor, Operation.REQUIRE_PAYMENT, dossier, plan.active)
    description = require_text(
        description, "description_required", _("Describe what has to be paid.")
    )
    now = timezone.now()
    obligation = FinancialObligation.objects.create(
        dossier=dossier,
        description=description,
        amount=_amount(amount),
        requested_at=now,
        requested_by=actor,
    )
    dossier.clock_paused_at = now
    dossier.save(update_fields=["status", "clock_paused_at", "updated_at"])
    record(
        dossier,
        Action.REQUIRE_PAYMENT,
        actor=actor,
        from_status=previous,
        step=plan.active,
        note=description,
        at=now,
        obligation=obligation.pk,
        amount=obligation.amount,
    )
    return obligation


@transaction.atomic
def confirm_payment(dossier: Dossier, *, actor, note: str = "") -> FinancialObligation:
    """The obligation is fulfilled (status 6 -> 4): the clock runs again and the
    appointment moves by the working time paused."""
    dossier = lock(dossier)
    previous = move(dossier, Action.CONFIRM_PAYMENT)
    plan = plan_of(dossier)
    policy.check(actor, Operation.CONFIRM_PAYMENT, dossier, plan.active)
    obligation = (
        FinancialObligation.objects.select_for_update()
        .filter(dossier=dossier, fulfilled_at__isnull=True)
        .first()
    )
    if obligation is None:
        raise DossierError("no_obligation", _("No payment is awaited for this dossier."))
    now, calendar, step = timezone.now(), get_calendar(), plan.active
    due_before = dossier.due_at
    paused = resume_after_pause(calendar, dossier, step, now)
    if step is not None:
        step.save(update_fields=["due_at"])
    dossier.save(update_fields=["status", "due_at", "clock_paused_at", "updated_at"])
    obligation.fulfilled_at, obligation.confirmed_by = now, actor
    obligation.save(update_fields=["fulfilled_at", "confirmed_by"])
    record(
        dossier,
        Action.CONFIRM_PAYMENT,
        actor=actor,
        from_status=previous,
        step=step,
        note=note.strip(),
        at=now,
        obligation=obligation.pk,
        due_before=due_before,
        due_after=dossier.due_at,
        waited_working_hours=hours_text(paused),
    )
    return obligation


@transaction.atomic
def count_from_payment(dossier: Dossier, *, paid_at, actor) -> bool:
    """The fee due at receipt was paid at `paid_at`, after the clock had started, and the
    deployment counts the time limit from the payment (MOTCUA_PAYMENT_CLOCK=paid, the
    payments app decides when to call this; docs/payments.md): the clock starts again at the
    payment, the appointment is the full time limit from there (the receipt rules of
    clock.limit_due: paper after the cut-off counts from the next working day) and the step
    in progress keeps its budget, moved by the same working time. Recorded as
    CLOCK_FROM_PAYMENT. Nothing changes, and False, when the clock had not started yet (it
    will start at reception, after the payment), when the payment came first, when the
    dossier is no longer open, or when an apology already gave a new appointment (Decree
    61/2018 art. 19.9: that date was promised to the applicant)."""
    dossier = lock(dossier)
    start = dossier.clock_start_at
    if (
        dossier.status not in OPEN
        or start is None
        or paid_at <= start
        or dossier.due_at is None
        or dossier.apology_count
    ):
        return False
    calendar = get_calendar()
    new_start = clock_start(calendar, dossier, paid_at)
    if new_start <= start:
        return False
    due = limit_due(calendar, dossier, paid_at)
    if due is None or due <= dossier.due_at:
        return False
    plan = plan_of(dossier)
    step = plan.active
    moved = calendar.working_time_between(start, new_start)
    step_before = step.due_at if step is not None else None
    if step is not None:
        step.due_at = shift(calendar, step.due_at, moved)
        step.save(update_fields=["due_at"])
    due_before = dossier.due_at
    dossier.clock_start_at, dossier.due_at = new_start, due
    dossier.save(update_fields=["clock_start_at", "due_at", "updated_at"])
    record(
        dossier,
        Action.CLOCK_FROM_PAYMENT,
        actor=actor,
        from_status=dossier.status,
        step=step,
        paid_at=paid_at,
        clock_start_before=start,
        clock_start_after=new_start,
        due_before=due_before,
        due_after=due,
        step_due_before=step_before,
        step_due_after=getattr(step, "due_at", None),
    )
    return True
