"""The centre's queue: service points, the services a ticket is taken for, the counters that
call them, tickets and their events, online appointments, cached spoken announcements
(issue 18; docs/queueing.md).

A service point is the queue's side of an organisations.ReceptionPoint and a queue counter
the queue's side of an organisations.Counter: the reception structure is the organisations',
what the queue needs (services, the officer on duty, the board's address) is ours.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Field, Procedure
from motcua.dossiers.models import Dossier
from motcua.organisations.models import Counter, ReceptionPoint


class PriorityCategory(models.TextChoices):
    """Who may be served first, when the centre's policy says so (ServicePoint)."""

    ELDERLY = "elderly", _("Elderly person")
    DISABLED = "disabled", _("Person with a disability")
    PREGNANT = "pregnant", _("Pregnant woman")
    YOUNG_CHILD = "young_child", _("Person with a child under 6")
    MERITORIOUS = "meritorious", _("Person with meritorious services")


class ServicePoint(models.Model):
    """A reception point that runs a queue: the centre, or a commune centre."""

    reception_point = models.OneToOneField(
        ReceptionPoint,
        verbose_name=_("reception point"),
        on_delete=models.CASCADE,
        related_name="queue_point",
    )
    slug = models.SlugField(
        _("address name"),
        max_length=40,
        unique=True,
        help_text=_("Used in the addresses of the kiosk and the board, e.g. ttphvhcc."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    opens_early_minutes = models.PositiveSmallIntegerField(
        _("tickets from (minutes before opening)"), default=30
    )
    priority_categories = models.JSONField(
        _("priority categories served first"),
        default=list,
        blank=True,
        help_text=_("The centre's policy: the categories whose tickets are called first."),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("appointment slot (minutes)"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(
        _("appointments per service and slot"), default=2
    )
    voice = models.CharField(_("announcement voice"), max_length=32, default="vi")

    class Meta:
        verbose_name = _("queue service point")
        verbose_name_plural = _("queue service points")
        ordering = ["slug"]

    def __str__(self) -> str:
        return str(self.reception_point)

    @property
    def agency_id(self) -> int:
        return self.reception_point.agency_id

    def gives_priority_to(self, category: str) -> bool:
        return bool(category) and category in (self.priority_categories or [])


class ServiceKind(models.TextChoices):
    INTAKE = "intake", _("Dossier intake")
    PICKUP = "pickup", _("Result pickup")
    ADVICE = "advice", _("Guidance")


class QueueService(models.Model):
    """What a ticket is taken for: a prefix, the procedures or fields it covers."""

    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    prefix = models.CharField(_("prefix"), max_length=2)
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ServiceKind.choices, default=ServiceKind.INTAKE
    )
    procedures = models.ManyToManyField(
        Procedure, verbose_name=_("procedures"), blank=True, related_name="+"
    )
    fields = models.ManyToManyField(Field, verbose_name=_("fields"), blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(_("order on the kiosk"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("queue service")
        verbose_name_plural = _("queue services")
        ordering = ["point", "position", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["point", "prefix"], name="queue_prefix_per_point")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} · {self.name}"


class QueueCounter(models.Model):
    """A counter as the queue knows it: the services it calls and the officer on duty."""

    counter = models.OneToOneField(
        Counter, verbose_name=_("counter"), on_delete=models.CASCADE, related_name="queue_counter"
    )
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="counters",
    )
    code = models.SlugField(
        _("device code"),
        max_length=40,
        unique=True,
        help_text=_("Used in the address of the counter's rating tablet."),
    )
    services = models.ManyToManyField(
        QueueService, verbose_name=_("services called"), related_name="counters"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer on duty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_duty_since = models.DateTimeField(_("on duty since"), null=True, blank=True)

    class Meta:
        verbose_name = _("queue counter")
        verbose_name_plural = _("queue counters")
        ordering = ["point", "counter__number"]

    def __str__(self) -> str:
        return str(self.counter)

    @property
    def number(self) -> int:
        return self.counter.number


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    COUNTER = "counter", _("Counter")
    APPOINTMENT = "appointment", _("Online appointment")


class State(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    HOLD = "hold", _("On hold")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not come")


OPEN_STATES = (State.WAITING, State.CALLED, State.SERVING, State.HOLD)


class TicketSequence(models.Model):
    """The last number given per point, service and local day; locked to take the next."""

    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="ticket_sequence_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.day} {self.last_number}"


class Ticket(models.Model):
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="tickets",
    )
    service = models.ForeignKey(
        QueueService, verbose_name=_("service"), on_delete=models.PROTECT, related_name="tickets"
    )
    issued_service = models.ForeignKey(
        QueueService, on_delete=models.PROTECT, related_name="+", editable=False
    )  # the number's series, kept when the ticket is transferred
    day = models.DateField(_("day"))  # the local day of issue (Asia/Ho_Chi_Minh)
    number = models.PositiveIntegerField(_("number"))
    display_code = models.CharField(_("ticket"), max_length=12)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.WAITING
    )
    priority = models.PositiveSmallIntegerField(default=1)  # 0 first
    priority_category = models.CharField(
        _("priority"), max_length=16, choices=PriorityCategory.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_name = models.CharField(_("name"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    pickup_code = models.CharField(_("dossier code for pickup"), max_length=40, blank=True)
    public_token = models.CharField(max_length=32, unique=True)
    request_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    counter = models.ForeignKey(
        QueueCounter,
        verbose_name=_("counter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    target_counter = models.ForeignKey(
        QueueCounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # transferred to a given counter
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    queued_at = models.DateTimeField()  # when it (re)joined the waiting line
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    serving_at = models.DateTimeField(_("serving since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(default=0)
    near_notice_at = models.DateTimeField(null=True, blank=True)  # "your turn is near" sent

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_service", "day", "number"], name="ticket_number_per_service_day"
            )
        ]
        indexes = [
            models.Index(fields=["point", "day", "state"], name="ticket_point_day_state"),
            models.Index(
                fields=["service", "state", "priority", "queued_at"],
                name="ticket_waiting_line",
                condition=Q(state="waiting"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Action(models.TextChoices):
    ISSUED = "issued", _("Ticket issued")
    CALLED = "called", _("Called")
    RECALLED = "recalled", _("Called again")
    STARTED = "started", _("Service started")
    HELD = "held", _("Put on hold")
    RESUMED = "resumed", _("Back in the line")
    TRANSFERRED = "transferred", _("Transferred")
    SKIPPED = "skipped", _("Did not come")
    FINISHED = "finished", _("Served")
    DOSSIER_LINKED = "dossier_linked", _("Dossier recorded")


class TicketEvent(models.Model):
    """Append-only: every change of a ticket. Its id increases: the boards read what is new
    after the last id they saw (board resume), and wait and service times derive from it."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    service = models.ForeignKey(QueueService, on_delete=models.PROTECT, related_name="+")
    counter = models.ForeignKey(
        QueueCounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["id"]
        indexes = [models.Index(fields=["point", "id"], name="ticket_event_point_id")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(models.Model):
    """A visit booked on the portal for a day and a slot; checked in at the kiosk by its code."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(QueueService, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    slot = models.TimeField(_("time"))
    code = models.CharField(_("appointment code"), max_length=12, unique=True)
    name = models.CharField(_("full name"), max_length=255)
    phone = models.CharField(_("phone"), max_length=20)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    state = models.CharField(
        max_length=16, choices=AppointmentState.choices, default=AppointmentState.BOOKED
    )
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )
    request_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["day", "slot"]
        indexes = [models.Index(fields=["service", "day", "slot"], name="appointment_slot")]

    def __str__(self) -> str:
        return self.code


class SpeechClip(models.Model):
    """A spoken announcement, synthesised once per text and voice and kept (speech.py)."""

    key = models.CharField(max_length=64, unique=True)  # sha256 of voice and text
    text = models.CharField(max_length=500)
    audio = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text


class Transport(models.TextChoices):
    NETWORK = "network", _("Network (raw TCP, port 9100)")
    DEVICE = "device", _("USB or serial device file")
    CUPS = "cups", _("CUPS queue (raw)")


class TicketPrinter(models.Model):
    """A thermal printer beside a kiosk, to which tickets are sent directly as ESC/POS raster
    bytes (printers.py) after the ticket commits (outbox). A kiosk names it in its address
    (`/kiosk/<point>/?may-in=<code>`); a point with one active printer uses it without."""

    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="printers",
    )
    code = models.SlugField(
        _("device code"),
        max_length=40,
        unique=True,
        help_text=_("Used in the kiosk's address: /kiosk/<point>/?may-in=<code>."),
    )
    name = models.CharField(_("name"), max_length=128)
    transport = models.CharField(
        _("connection"), max_length=16, choices=Transport.choices, default=Transport.NETWORK
    )
    target = models.CharField(
        _("address"),
        max_length=255,
        help_text=_(
            "Network: host or host:port (port 9100 if omitted). Device file: e.g. /dev/usb/lp0. "
            "CUPS: the name of a raw queue."
        ),
    )
    width = models.PositiveSmallIntegerField(
        _("width in dots"), default=512, help_text=_("512 for 80 mm paper, 384 for 58 mm.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ticket printer")
        verbose_name_plural = _("ticket printers")
        ordering = ["point", "code"]

    def __str__(self) -> str:
        return self.name


class PrintState(models.TextChoices):
    PENDING = "pending", _("Waiting to print")
    PRINTED = "printed", _("Printed")
    RETRYING = "retrying", _("Printer not answering: will try again")
    DEAD = "dead", _("Not printed: the printer did not answer")
    SKIPPED = "skipped", _("Not printed: too late")


PRINT_FAILED = (PrintState.RETRYING, PrintState.DEAD)


class PrintJob(models.Model):
    """One ticket to print on one printer; `state` says whether it was printed (a second
    delivery of its outbox message prints nothing once it is PRINTED)."""

    printer = models.ForeignKey(
        TicketPrinter, verbose_name=_("printer"), on_delete=models.CASCADE, related_name="jobs"
    )
    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="print_job"
    )
    site = models.CharField(max_length=300, blank=True)  # the kiosk's address, for the QR code
    state = models.CharField(
        _("state"), max_length=16, choices=PrintState.choices, default=PrintState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-id"]
        indexes = [models.Index(fields=["printer", "-id"], name="print_job_printer_last")]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.printer_id}"


class StaffPhoto(models.Model):
    """A staff member's photo for the rating tablet (optional; no photo: initials). Kept in
    the database as a small JPEG (photos.py: checked by content, turned upright, cropped
    square, resized, metadata dropped); served only by the tablet of the counter the officer
    serves at and in the back office, never in a public list."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="tablet_photo",
    )
    image = models.BinaryField(editable=False)
    digest = models.CharField(max_length=64, editable=False)  # sha256 of the JPEG
    updated_at = models.DateTimeField(_("updated at"), editable=False)

    class Meta:
        verbose_name = _("staff photo")
        verbose_name_plural = _("staff photos")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)
