"""Schemas of the dossier attachments API (/api/v1/dossiers/{code}/attachments)."""

from django.urls import reverse
from ninja import Field, Schema

from motcua.dossiers.models import Attachment

from .dossiers import LocalTime


class AttachmentOut(Schema):
    id: int
    kind: Attachment.Kind
    component_id: int | None = Field(None, description="The handed-in document it scans")
    name: str = Field(..., alias="original_name")
    content_type: str = Field(..., description="Decided by the file's content")
    size: int = Field(..., description="Bytes")
    sha256: str
    uploaded_by: str = Field(..., alias="uploaded_by.username")
    uploaded_at: LocalTime
    url: str = Field(..., description="Where to download it (same authentication)")

    @staticmethod
    def resolve_url(attachment: Attachment) -> str:
        return reverse("api:dossier_attachment", args=[attachment.dossier.code, attachment.pk])
