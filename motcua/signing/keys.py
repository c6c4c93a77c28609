"""Which key and which images sign for an agency on a day: its own, else its parent's (a
commune's one-stop section signs with the commune's seal), valid on that day and active."""

from datetime import date

from django.db.models import Q

from motcua.organisations.models import Agency

from .models import SignatureImage, SigningKey


def _lineage(agency: Agency) -> list[int]:
    ids, seen = [], set()
    current: Agency | None = agency
    while current is not None and current.pk not in seen:
        ids.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return ids


def _valid_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def _nearest(rows, lineage: list[int]):
    by_agency: dict[int, object] = {}
    for row in rows:
        by_agency.setdefault(row.agency_id, row)
    return next((by_agency[pk] for pk in lineage if pk in by_agency), None)


def key_for(agency: Agency, purpose: str, day: date) -> SigningKey | None:
    lineage = _lineage(agency)
    rows = SigningKey.objects.filter(
        _valid_on(day), agency_id__in=lineage, purpose=purpose, is_active=True
    ).order_by("-valid_from", "-pk")
    return _nearest(rows, lineage)


def seal_image(agency: Agency, day: date) -> SignatureImage | None:
    lineage = _lineage(agency)
    rows = SignatureImage.objects.filter(
        _valid_on(day), agency_id__in=lineage, kind=SignatureImage.Kind.SEAL
    ).order_by("-valid_from", "-pk")
    return _nearest(rows, lineage)


def signature_image(official, day: date) -> SignatureImage | None:
    return (
        SignatureImage.objects.filter(
            _valid_on(day), official=official, kind=SignatureImage.Kind.SIGNATURE
        )
        .order_by("-valid_from", "-pk")
        .first()
    )
