"""What the fake payment platform remembers: the payments merchants created (INIT), and the
callbacks it owes them (sent now, later, twice, out of order or never: chaos.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FakeTransaction(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the payer")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        ABANDONED = "abandoned", _("Abandoned")

    merchant = models.CharField(max_length=64)
    reference = models.CharField(max_length=100, unique=True)  # MaThamChieu
    txn_id = models.CharField(max_length=64, unique=True)  # MaGiaoDich
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=8)
    info = models.CharField(max_length=500, blank=True)
    return_url = models.URLField(max_length=1000, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    chaos = models.CharField(max_length=32, blank=True)
    queries = models.PositiveIntegerField(default=0)
    init = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.reference


class FakeCallback(models.Model):
    transaction = models.ForeignKey(
        FakeTransaction, on_delete=models.CASCADE, related_name="callbacks"
    )
    body = models.JSONField()
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # our answer's HTTP status

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.body.get('MaLoi')} {self.due_at}"
