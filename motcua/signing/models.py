"""Keys, signature images, signed documents and two-step signing sessions.

* `SigningKey`: where an agency's (or an official's) signature comes from (backends.py). Its
  secrets stay in the environment; system administrators configure keys.
* `SignatureImage`: an official's signature or an agency's seal (Decree 30/2020 Annex I),
  with validity dates, kept by the agency administrator; stored recoloured (images.py).
* `SignedDocument`: a signed PDF kept with its dossier, with what the signature says about
  itself (certificate fingerprint, signing and timestamp times, validation report).
* `SigningSession`: an external two-step signature in progress (sessions.py), with expiry.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Attachment, Dossier
from motcua.organisations.models import Agency

from .backends import Backend, KeySpec


class SigningKey(models.Model):
    class Purpose(models.TextChoices):
        SEAL = "seal", _("The agency's seal (forms, receipts, copies)")
        RESULT = "result", _("Results approved by the agency's leaders")

    class Kind(models.TextChoices):
        PKCS12 = Backend.PKCS12, _("PKCS#12 file")
        PKCS11 = Backend.PKCS11, _("PKCS#11 token or HSM")
        EXTERNAL = Backend.EXTERNAL, _("The official's own token (two-step signing)")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signing_keys")
    purpose = models.CharField(_("used for"), max_length=8, choices=Purpose.choices)
    backend = models.CharField(_("back end"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    pkcs12_path = models.CharField(_("PKCS#12 file"), max_length=255, blank=True)
    module = models.CharField(_("PKCS#11 module"), max_length=255, blank=True)
    token_label = models.CharField(_("token label"), max_length=64, blank=True)
    key_id = models.CharField(
        _("key CKA_ID (hex)"),
        max_length=64,
        blank=True,
        help_text=_("As `pkcs11-tool -O` prints it, e.g. 01. Keys are chosen by id, not label."),
    )
    cert_id = models.CharField(_("certificate CKA_ID (hex)"), max_length=64, blank=True)
    secret_env = models.CharField(
        _("environment variable of the passphrase or PIN"), max_length=64, blank=True
    )
    softhsm_conf = models.CharField(_("SoftHSM2 configuration"), max_length=255, blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["agency", "purpose", "-valid_from"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.backend == Backend.PKCS12 and not self.pkcs12_path:
            raise ValidationError({"pkcs12_path": _("Give the PKCS#12 file.")})
        if self.backend == Backend.PKCS11:
            if not self.module:
                raise ValidationError({"module": _("Give the PKCS#11 module.")})
            for name in ("key_id", "cert_id"):
                value = getattr(self, name)
                try:
                    bytes.fromhex(value)
                except ValueError:
                    raise ValidationError({name: _("Hexadecimal digits, e.g. 01.")}) from None
            if not self.key_id:
                raise ValidationError({"key_id": _("Give the key's CKA_ID.")})
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end is before the start.")})

    @property
    def spec(self) -> KeySpec:
        return KeySpec(
            backend=self.backend,
            pkcs12_path=self.pkcs12_path,
            module=self.module,
            token_label=self.token_label,
            key_id=self.key_id,
            cert_id=self.cert_id,
            secret_env=self.secret_env,
            softhsm_conf=self.softhsm_conf,
        )


class SignatureImage(models.Model):
    class Kind(models.TextChoices):
        SIGNATURE = "signature", _("An official's signature (blue)")
        SEAL = "seal", _("The agency's seal (red)")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signature_images")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signature_images",
        verbose_name=_("official"),
    )
    title = models.CharField(
        _("title above the signature"),
        max_length=120,
        blank=True,
        help_text=_("E.g. CHỦ TỊCH, or KT. CHỦ TỊCH and PHÓ CHỦ TỊCH on two lines."),
    )
    png = models.BinaryField(_("image"), editable=False)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature or seal image")
        verbose_name_plural = _("signature and seal images")
        ordering = ["agency", "kind", "-valid_from"]

    def __str__(self) -> str:
        who = self.official.get_full_name() if self.official else self.agency.name
        return f"{self.get_kind_display()}: {who}"

    def clean(self) -> None:
        if self.kind == self.Kind.SIGNATURE and self.official_id is None:
            raise ValidationError({"official": _("A signature belongs to an official.")})
        if self.kind == self.Kind.SEAL and self.official_id is not None:
            raise ValidationError({"official": _("A seal belongs to the agency, not a person.")})
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end is before the start.")})


class SignedDocument(models.Model):
    class Kind(models.TextChoices):
        RESULT = "result", _("Result")
        FORM = "form", _("Form handed to the applicant")
        COPY = "copy", _("Electronic copy (SAO Y)")
        RECEIPT = "receipt", _("Receipt of fees and charges")

    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="signed_documents"
    )
    source = models.OneToOneField(
        Attachment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signed",
        help_text=_("The file that was signed (a result, a scan)."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    form_number = models.CharField(_("form"), max_length=8, blank=True)
    file = models.FileField(_("signed file"), upload_to="signed/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    key = models.ForeignKey(SigningKey, null=True, blank=True, on_delete=models.SET_NULL)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_subject = models.CharField(_("signer"), max_length=255)
    certificate_sha256 = models.CharField(_("certificate fingerprint (SHA-256)"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    timestamp_at = models.DateTimeField(_("timestamp"), null=True, blank=True)
    profile = models.CharField(_("profile"), max_length=16)
    report = models.JSONField(_("validation report"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["dossier", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "form_number"],
                condition=models.Q(kind="form"),
                name="one_signed_form_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signer_subject}"


class SigningSession(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the signature")
        FINISHED = "finished", _("Signed")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    source = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="+")
    certificate = models.BinaryField()
    prepared = models.BinaryField()  # the PDF with the space reserved for the signature
    document_digest = models.BinaryField()
    reserved_start = models.PositiveBigIntegerField()
    reserved_end = models.PositiveBigIntegerField()
    signed_attributes = models.BinaryField()  # DER: what the official's token signs
    error = models.TextField(blank=True)
    result = models.OneToOneField(
        SignedDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("signing session")
        verbose_name_plural = _("signing sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk} {self.state}"


class SignatureCheck(models.Model):
    """What the signatures of an uploaded PDF said when it was received (a citizen's signed
    declaration, a signed paper from another agency): validated on receipt, like OpenCPS's
    signCheck, and shown to the staff beside the file."""

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, related_name="signature_check"
    )
    ok = models.BooleanField(_("every signature valid"))
    signers = models.CharField(_("signed by"), max_length=500)
    report = models.JSONField(_("validation report"), default=list)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("signature check of an upload")
        verbose_name_plural = _("signature checks of uploads")

    def __str__(self) -> str:
        return f"{self.attachment_id}: {'ok' if self.ok else 'not valid'}"
