"""What is owed for a dossier, how it was paid, and the receipts (issue 16; docs/payments.md).

Amounts are whole dong in integers: the dong has no subunit in use (Law on the State Bank,
art. 17; VietQR field 54 carries whole numbers for VND).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Channel, ProcedureVersion
from motcua.dossiers.models import Dossier, FinancialObligation
from motcua.organisations.models import Agency

from .words import amount_figures


class FeeKind(models.TextChoices):
    """Law on Fees and Charges 2015 art. 3: a fee (phí) pays for a service; a charge (lệ
    phí) for the state's administrative work."""

    FEE = "phi", _("Fee (phí)")
    CHARGE = "le_phi", _("Charge (lệ phí)")


class Stage(models.TextChoices):
    """When an amount is collected (the national catalogue's 1, 2 and 4), and the
    financial obligation of status 6."""

    RECEIPT = "receipt", _("At receipt")
    SUPPLEMENT = "supplement", _("At supplement")
    RETURN = "return", _("At return of result")
    OBLIGATION = "obligation", _("Financial obligation (status 6)")


class BankAccount(models.Model):
    """Where transfers for a fee go (VietQR): the collecting agency's account."""

    bank_bin = models.CharField(_("bank BIN (NAPAS)"), max_length=6, blank=True)
    bank_account = models.CharField(_("account number"), max_length=19, blank=True)
    account_name = models.CharField(_("account holder"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def has_account(self) -> bool:
        return bool(self.bank_bin and self.bank_account)


class FeeItem(BankAccount):
    """One fee or charge of a procedure version, as the cashier applies it."""

    class Rule(models.TextChoices):
        FIXED = "fixed", _("Fixed amount")
        PER_COPY = "per_copy", _("Per copy")
        PER_PAGE = "per_page", _("Per page")

    class Applicants(models.TextChoices):
        ANY = "any", _("Any applicant")
        CITIZEN = "citizen", _("Citizens")
        ORGANISATION = "organisation", _("Organisations")

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="fee_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=FeeKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices, default=Rule.FIXED)
    maximum = models.PositiveBigIntegerField(
        _("at most (VND)"),
        null=True,
        blank=True,
        help_text=_("A cap per line, if the law sets one."),
    )
    # A lower unit price from a given unit on (Circular 226/2016 art. 4: certified copies
    # 2.000 đ a page, from the 3rd page 1.000 đ).
    later_from = models.PositiveSmallIntegerField(_("lower price from unit"), null=True, blank=True)
    later_amount = models.PositiveBigIntegerField(
        _("lower unit price (VND)"), null=True, blank=True
    )
    applicants = models.CharField(
        _("applies to"), max_length=16, choices=Applicants.choices, default=Applicants.ANY
    )
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=Channel.choices,
        blank=True,
        help_text=_("Empty: every channel (an online filing may carry a lower charge)."),
    )
    collected_at = models.CharField(
        _("collected"), max_length=16, choices=Stage.choices[:3], default=Stage.RECEIPT
    )
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    collecting_agency = models.ForeignKey(
        Agency,
        verbose_name=_("collecting agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the agency that receives the dossier."),
    )

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({amount_figures(self.amount)} đ)"


class FeeExemption(models.Model):
    """Who does not pay a fee item, and the text that says so (e.g. Circular 85/2019 art.
    5 for households of people with meritorious service)."""

    item = models.ForeignKey(FeeItem, on_delete=models.CASCADE, related_name="exemptions")
    description = models.CharField(_("who is exempt"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=500)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class PaymentRequest(BankAccount):
    """What the applicant of a dossier owes at one stage, and whether it was paid."""

    class State(models.TextChoices):
        DUE = "due", _("To pay")  # not "Due": that msgid is the deadline's (hạn xử lý)
        PAID = "paid", _("Paid")
        WAIVED = "waived", _("Waived (exempt)")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payment_requests")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DUE)
    total = models.PositiveBigIntegerField(_("total (VND)"), default=0)
    # ASCII, at most 25 characters: VietQR's purpose (references.py). Set once the id exists.
    reference = models.CharField(_("payment reference"), max_length=25, unique=True, null=True)
    collecting_agency = models.ForeignKey(
        Agency, verbose_name=_("collecting agency"), on_delete=models.PROTECT, related_name="+"
    )
    obligation = models.ForeignKey(
        FinancialObligation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waived_reason = models.CharField(_("exemption"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["dossier", "created_at"]
        constraints = [
            # Fees: one request per stage; obligations: one per obligation (there may be two).
            models.UniqueConstraint(
                fields=["dossier", "stage"],
                condition=~Q(stage="obligation"),
                name="one_request_per_stage",
            ),
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(obligation__isnull=False),
                name="one_request_per_obligation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.pk} {amount_figures(self.total)} đ"

    @property
    def is_due(self) -> bool:
        return self.state == self.State.DUE


class PaymentLine(models.Model):
    """One fee of a request, copied from its fee item when the request was computed (the
    catalogue may change later; what was asked stays)."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        FeeItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=8, choices=FeeKind.choices, blank=True)
    rule = models.CharField(_("rule"), max_length=16, choices=FeeItem.Rule.choices)
    unit_amount = models.PositiveBigIntegerField(_("unit amount (VND)"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    maximum = models.PositiveBigIntegerField(null=True, blank=True)
    later_from = models.PositiveSmallIntegerField(null=True, blank=True)
    later_amount = models.PositiveBigIntegerField(null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)

    class Meta:
        ordering = ["request", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {amount_figures(self.amount)} đ"


class PaymentAttempt(models.Model):
    """One try at paying a request, with pretix's states (OrderPayment): a request may have
    several attempts; at most one is confirmed (the database refuses a second)."""

    class Method(models.TextChoices):
        CASH = "cash", _("Cash at the counter")
        CARD = "card", _("Card at the counter")
        VIETQR = "vietqr", _("Bank transfer (VietQR)")
        PLATFORM = "platform", _("National payment platform")

    class State(models.TextChoices):
        CREATED = "created", _("Created")
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    request = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="attempts")
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    # A double click or a retried form carries the same key: recorded once (counter.py).
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    provider_reference = models.CharField(
        _("provider's transaction"), max_length=64, unique=True, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    # The national payment platform (platform.py, online.py): MaThamChieu of this attempt,
    # the address the citizen pays at, when the platform is next asked (QUERY) and how often
    # it was asked; a statement line's match (reconciliation.py) is its own row.
    reference = models.CharField(
        _("platform reference"), max_length=40, unique=True, null=True, blank=True
    )
    pay_url = models.URLField(_("payment address"), max_length=1000, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True, db_index=True)
    checks = models.PositiveSmallIntegerField(_("checks"), default=0)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        ordering = ["request", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(state="confirmed"),
                name="one_confirmed_attempt_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {amount_figures(self.amount)} đ ({self.state})"


class ReceiptSeries(models.Model):
    """A series of e-receipts of a collecting agency (Decree 254/2026 art. 23.2: template
    and series symbols, the collector's name and tax code)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("collecting agency"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("receipt name"), max_length=255, default="BIÊN LAI THU PHÍ, LỆ PHÍ")
    template_symbol = models.CharField(_("template symbol"), max_length=16)
    series_symbol = models.CharField(_("series symbol"), max_length=16)
    collector_name = models.CharField(_("collecting organisation"), max_length=255)
    collector_tax_code = models.CharField(_("collector's tax code"), max_length=14)
    collector_address = models.CharField(_("address"), max_length=500, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt series")
        verbose_name_plural = _("receipt series")
        constraints = [
            models.UniqueConstraint(
                fields=["template_symbol", "series_symbol"], name="receipt_series_symbols_unique"
            ),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(is_active=True), name="one_active_series_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_symbol} {self.series_symbol}"


class ReceiptCounter(models.Model):
    """The last number used in a series in a year: the row the confirming transaction locks
    (select_for_update) to take the next number, so that numbers have neither gaps nor
    duplicates however many cashiers confirm at once (decision 0014)."""

    series = models.ForeignKey(ReceiptSeries, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_counter_per_series_year"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_number}"


class Receipt(models.Model):
    """The e-receipt of a confirmed payment (Decree 254/2026 art. 24: issued at collection)."""

    series = models.ForeignKey(ReceiptSeries, on_delete=models.PROTECT, related_name="receipts")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("number"))  # at most 8 digits (art. 23.2)
    attempt = models.OneToOneField(PaymentAttempt, on_delete=models.PROTECT, related_name="receipt")
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payer_name = models.CharField(_("payer"), max_length=255)
    payer_id_number = models.CharField(
        _("payer's ID number or tax code"), max_length=20, blank=True
    )
    payer_address = models.CharField(_("payer's address"), max_length=500, blank=True)
    total = models.PositiveBigIntegerField(_("total (VND)"))
    lines = models.JSONField(_("fees"), default=list)  # as printed: name, kind, amount

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["series", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"], name="receipt_number_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=99_999_999), name="receipt_number_8_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.number_text}"

    @property
    def number_text(self) -> str:
        """The number as printed: 8 digits, zero-padded (0000001 style of the receipts)."""
        return f"{self.number:08d}"


class Refund(models.Model):
    """Money given back for a confirmed attempt, with its reason (a dossier refused or
    withdrawn after payment, per the agency's rules)."""

    attempt = models.OneToOneField(PaymentAttempt, on_delete=models.PROTECT, related_name="refund")
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    reason = models.CharField(_("reason"), max_length=500)
    refunded_at = models.DateTimeField(_("refunded"))
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.attempt_id}: {amount_figures(self.amount)} đ"


class CallbackLog(models.Model):
    """Every notice the national payment platform sent us (confirm callbacks) and every
    answer to our QUERY, as received, with what we made of it: append-only, so that a
    dispute can be settled from the raw bodies (capabilities.md §3.4)."""

    class Source(models.TextChoices):
        CALLBACK = "callback", _("Confirm callback")
        QUERY = "query", _("Query")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed the payment")
        FAILED = "failed", _("Recorded the failure")
        PENDING = "pending", _("Still pending")
        REPLAYED = "replayed", _("Already known: nothing changed")
        BAD_SIGNATURE = "bad_signature", _("Refused: signature")
        WRONG_AMOUNT = "wrong_amount", _("Refused: amount or currency")
        UNKNOWN = "unknown", _("Refused: unknown reference")
        MALFORMED = "malformed", _("Refused: not a valid message")
        CONFLICT = "conflict", _("Paid, but the request was already settled")
        IGNORED = "ignored", _("Ignored: the attempt is already settled")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    attempt = models.ForeignKey(
        PaymentAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    reference = models.CharField(_("platform reference"), max_length=100, blank=True)
    provider_reference = models.CharField(_("provider's transaction"), max_length=100, blank=True)
    paid = models.BooleanField(_("reported paid"), default=False)
    amount = models.BigIntegerField(_("amount reported (VND)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    body = models.TextField(_("body as received"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("platform notice")
        verbose_name_plural = _("platform notices")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.reference} {self.outcome}"


class BankStatement(models.Model):
    """A bank statement imported by a cashier (CSV or Excel) for a collecting agency's
    account: its lines are matched to payment requests (reconciliation.py)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("collecting agency"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    digest = models.CharField(max_length=64)  # SHA-256 of the file: the same file twice is refused
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "digest"], name="statement_imported_once")
        ]

    def __str__(self) -> str:
        return self.file_name


class StatementLine(models.Model):
    """One credit of a statement. Matched to at most one payment (the attempt it confirmed,
    a one-to-one: nothing is matched twice), or set aside by a cashier with a reason."""

    class State(models.TextChoices):
        UNMATCHED = "unmatched", _("Not matched")
        MATCHED = "matched", _("Matched")
        SET_ASIDE = "set_aside", _("Set aside")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    row = models.PositiveIntegerField(_("row"))
    booked_on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    bank_reference = models.CharField(_("bank's transaction"), max_length=100, blank=True)
    # The same credit in two overlapping statements is one line (account, date, amount,
    # text, bank reference and its occurrence in the file).
    fingerprint = models.CharField(max_length=64, unique=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.UNMATCHED
    )
    problem = models.CharField(_("why not matched"), max_length=32, blank=True)
    attempt = models.OneToOneField(
        PaymentAttempt,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_line",
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_at = models.DateTimeField(_("matched"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "row"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="matched", attempt__isnull=False)
                | (~Q(state="matched") & Q(attempt__isnull=True)),
                name="statement_line_matched_has_attempt",
            )
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {amount_figures(self.amount)} đ {self.description[:40]}"
