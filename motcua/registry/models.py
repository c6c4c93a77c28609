"""The registry of digitised documents and results: the citizen's electronic data store as
motcua keeps it (Decree 45/2020 art. 16; Decree 118/2025 art. 17; QĐ 766 group 4;
capabilities.md §8.3, after THS's GiayToSoHoa).

A `DigitisedDocument` is a handed-in paper made an electronic copy at receipt (kind
"component": the scan checked, signed by the receiving agency as "SAO Y") or a result motcua
issued (kind "result"), owned by the person or organisation whose identity number it carries.
A `Reuse` records that a later dossier took it instead of asking for the paper again (4.3)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Component
from motcua.dossiers.models import Attachment, Dossier, DossierComponent
from motcua.organisations.models import Agency
from motcua.signing.models import SignedDocument


class DigitisedDocument(models.Model):
    class Kind(models.TextChoices):
        COMPONENT = "component", _("Document handed in, digitised")
        RESULT = "result", _("Result issued")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    owner_id_type = models.CharField(_("owner's identity type"), max_length=16)
    owner_id_number = models.CharField(_("owner's identity number"), max_length=20, db_index=True)
    owner_name = models.CharField(_("owner"), max_length=255)
    name = models.TextField(_("document"))
    component = models.ForeignKey(
        Component,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The catalogue's document it stands for, to offer it again."),
    )
    procedure_code = models.CharField(_("procedure"), max_length=32, blank=True)
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: without time limit.")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("digitised by agency")
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    attachment = models.OneToOneField(
        Attachment, on_delete=models.PROTECT, related_name="registered"
    )
    signed = models.OneToOneField(
        SignedDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    dpi = models.PositiveSmallIntegerField(_("resolution (dpi)"), null=True, blank=True)
    colour = models.BooleanField(_("colour"), null=True)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    digitised_at = models.DateTimeField(_("digitised"), default=timezone.now)
    reuse_count = models.PositiveIntegerField(_("times reused"), default=0)

    class Meta:
        verbose_name = _("digitised document")
        verbose_name_plural = _("digitised documents")
        ordering = ["owner_id_number", "-digitised_at"]
        indexes = [models.Index(fields=["owner_id_type", "owner_id_number", "kind"])]

    def __str__(self) -> str:
        return f"{self.name[:60]} ({self.owner_name})"

    @property
    def file(self):
        return self.signed.file if self.signed is not None else self.attachment.file

    def valid_on(self, day) -> bool:
        return self.valid_until is None or self.valid_until >= day


class Reuse(models.Model):
    document = models.ForeignKey(DigitisedDocument, on_delete=models.PROTECT, related_name="uses")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(DossierComponent, on_delete=models.CASCADE, related_name="+")
    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="+")
    reused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reused_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reuse of a digitised document")
        verbose_name_plural = _("reuses of digitised documents")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "component"], name="reused_once_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.dossier_id}"
