"""Keys are configured by system administrators (paths and names of secrets on the server);
signature and seal images by the agency administrator for their agencies (Decree 30/2020
Annex I: the official's signature in blue, the seal in red: uploads are recoloured); signed
documents and sessions are records, read-only. Every change is audited."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.organisations.admin import AgencyScopedAdmin
from motcua.organisations.admin_access import SystemAdministratorsEdit, SystemAdministratorsOnly
from motcua.organisations.models import Membership

from . import images
from .models import SignatureImage, SignedDocument, SigningKey, SigningSession


@admin.register(SigningKey)
class SigningKeyAdmin(SystemAdministratorsEdit):
    list_display = [
        "name",
        "agency",
        "purpose",
        "backend",
        "valid_from",
        "valid_until",
        "is_active",
    ]
    list_filter = ["purpose", "backend", "is_active"]
    search_fields = ["name", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]


class ImageForm(forms.ModelForm):
    upload = forms.ImageField(
        label=_("image (PNG or JPEG)"),
        required=False,
        help_text=_(
            "A scan on white paper or a PNG with transparency; it is recoloured blue "
            "(signature) or red (seal) as Decree 30/2020 requires."
        ),
    )

    class Meta:
        model = SignatureImage
        fields = ["agency", "kind", "official", "title", "valid_from", "valid_until"]

    def clean(self):
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is None and not self.instance.pk:
            raise ValidationError({"upload": _("Choose the image.")})
        if upload is not None:
            colour = (
                images.BLUE if data.get("kind") == SignatureImage.Kind.SIGNATURE else images.RED
            )
            self.instance.png = images.recolour(upload.read(), colour)
        return data


@admin.register(SignatureImage)
class SignatureImageAdmin(AgencyScopedAdmin):
    form = ImageForm
    list_display = ["__str__", "agency", "kind", "title", "valid_from", "valid_until", "preview"]
    list_filter = ["kind"]
    readonly_fields = ["preview"]

    @admin.display(description=_("image"))
    def preview(self, obj):
        if not obj or not obj.png:
            return "—"
        import base64

        data = base64.b64encode(bytes(obj.png)).decode()
        return format_html('<img src="data:image/png;base64,{}" alt="" height="60">', data)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "official":
            ids = self.scope_ids(request)
            members = (
                Membership.objects.all()
                if ids is None
                else Membership.objects.filter(agency__in=ids)
            )
            kwargs["queryset"] = (
                get_user_model().objects.filter(pk__in=members.values("user")).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SignedDocument)
class SignedDocumentAdmin(SystemAdministratorsOnly):
    list_display = ["dossier", "kind", "signer_subject", "signed_at", "timestamp_at", "profile"]
    list_filter = ["kind", "profile"]
    search_fields = ["dossier__code", "signer_subject", "certificate_sha256"]


@admin.register(SigningSession)
class SigningSessionAdmin(SystemAdministratorsOnly):
    list_display = ["id", "created_by", "created_at", "expires_at", "state"]
    list_filter = ["state"]
    exclude = ["certificate", "prepared", "document_digest", "signed_attributes"]
