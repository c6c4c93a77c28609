"""Online filing by a signed-in citizen (issue 15 §2; capabilities.md §2.6): a draft saved as
they go, resumable on another device, submitted into the dossiers' intake (status 1). What
the applicant does online on a dossier afterwards (a supplement, a withdrawal request) is a
dossier event (dossiers/online.py), not a record of its own."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import CitizenAccount
from motcua.catalogue.models import Channel, Component, Procedure, ProcedureVersion
from motcua.dossiers.models import Attachment, Dossier
from motcua.organisations.models import Agency


class Draft(models.Model):
    """A dossier being prepared online. Its e-form answers, files and delivery choice are
    saved with every step, so nothing typed is lost when the phone's connection drops or the
    person signs in again elsewhere; it expires after MOTCUA_DRAFT_DAYS without a change."""

    class State(models.TextChoices):
        OPEN = "open", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="drafts")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        Agency, verbose_name=_("filed with"), on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("e-form answers"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("receive the result"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.IN_PERSON,
    )
    delivery_address = models.CharField(_("delivery address"), max_length=500, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("online draft")
        verbose_name_plural = _("online drafts")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["account", "state"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} · {self.key}"


class DraftFile(models.Model):
    """A page or file uploaded against a checklist document (several per document), or taken
    from one of the person's earlier dossiers (Decree 45/2020 art. 8: not asked twice)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(Component, null=True, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="drafts/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=64)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    reused_from = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "component", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
