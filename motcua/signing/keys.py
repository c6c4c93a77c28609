"""Which key and which images sign for an agency on a day: its own, else its parent's or its
grandparent's (a commune's one-stop section signs with the commune's seal; a department of a
committee with its own), valid on that day and active: one statement each, from the agency's
id alone (the approval's busy path reads nothing else)."""

from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from motcua.organisations.models import Agency

from .models import SignatureImage, SigningKey


def _valid_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def _nearest(rows: QuerySet, agency_id: int):
    """The newest row of the nearest of the agency, its parent and its grandparent."""
    parent = Agency.objects.filter(pk=agency_id).values("parent_id")
    grandparent = Agency.objects.filter(pk__in=parent).values("parent_id")
    level = Case(
        When(agency_id=agency_id, then=Value(0)),
        When(agency_id__in=parent, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        rows.filter(Q(agency_id=agency_id) | Q(agency_id__in=parent) | Q(agency_id__in=grandparent))
        .annotate(level=level)
        .order_by("level", "-valid_from", "-pk")
        .first()
    )


def key_for(agency: Agency | int, purpose: str, day: date) -> SigningKey | None:
    agency_id = agency if isinstance(agency, int) else agency.pk
    rows = SigningKey.objects.filter(_valid_on(day), purpose=purpose, is_active=True)
    return _nearest(rows, agency_id)


def seal_image(agency: Agency | int, day: date) -> SignatureImage | None:
    agency_id = agency if isinstance(agency, int) else agency.pk
    rows = SignatureImage.objects.filter(_valid_on(day), kind=SignatureImage.Kind.SEAL)
    return _nearest(rows, agency_id)


def signature_image(official, day: date) -> SignatureImage | None:
    return (
        SignatureImage.objects.filter(
            _valid_on(day), official=official, kind=SignatureImage.Kind.SIGNATURE
        )
        .order_by("-valid_from", "-pk")
        .first()
    )
