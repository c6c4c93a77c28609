"""A queue at every active reception point, for the demo and a first installation: three
services (intake for the agency's fields, guidance, result pickup) and every counter calling
intake and guidance, the last one also pickups. Idempotent."""

import unicodedata

from django.db import transaction
from django.utils.text import slugify

from motcua.catalogue.models import Field, Procedure
from motcua.organisations.models import ReceptionPoint

from .models import QueueCounter, QueueService, ServiceKind, ServicePoint

SERVICES = [
    ("A", "Tiếp nhận hồ sơ", ServiceKind.INTAKE),
    ("B", "Hướng dẫn thủ tục", ServiceKind.ADVICE),
    ("T", "Trả kết quả", ServiceKind.PICKUP),
]


def point_slug(name: str) -> str:
    """'Trung tâm Phục vụ hành chính công phường Thành Sen' → 'phuong-thanh-sen'."""
    plain = unicodedata.normalize("NFC", name).replace("Đ", "D").replace("đ", "d")
    slug = slugify(plain)
    tail = slug.split("hanh-chinh-cong-", 1)[-1]
    return tail[:40].strip("-") or "diem"


@transaction.atomic
def seed_queues() -> list[ServicePoint]:
    made = []
    for reception in ReceptionPoint.objects.filter(is_active=True).select_related("agency"):
        point, _ = ServicePoint.objects.get_or_create(
            reception_point=reception,
            defaults={
                "slug": _free_slug(point_slug(reception.name), reception.pk),
                "priority_categories": ["elderly", "disabled", "pregnant"],
            },
        )
        services = [_service(point, position, *spec) for position, spec in enumerate(SERVICES)]
        fields = Field.objects.filter(pk__in=Procedure.objects.published().values("field_id"))
        services[0].fields.set(fields)
        counters = list(reception.counters.filter(is_active=True).order_by("number"))
        for counter in counters:
            queue_counter, _ = QueueCounter.objects.get_or_create(
                counter=counter, defaults={"point": point, "code": f"{point.slug}-{counter.number}"}
            )
            called = services if counter == counters[-1] else services[:2]
            queue_counter.services.set(called)
        made.append(point)
    return made


def _free_slug(slug: str, reception_id: int) -> str:
    """Two reception points of the same name (two agencies' "Bộ phận một cửa") get two
    addresses: the second one's ends with its reception point's id."""
    if ServicePoint.objects.filter(slug=slug).exists():
        return f"{slug[:32]}-{reception_id}"
    return slug


def _service(point: ServicePoint, position: int, prefix: str, name: str, kind: str) -> QueueService:
    service, _ = QueueService.objects.get_or_create(
        point=point, prefix=prefix, defaults={"name": name, "kind": kind, "position": position}
    )
    return service
