"""Public catalogue reads: the one place the search rule lives (pages and API both call it).

The rule: the query is folded like `Procedure.search_text` ("Đăng ký" -> "dang ky"); every
term must match (AND). A word term matches the start of a word of the code, name or field
("sinh" finds "khai sinh", "an" does not find "toan"); a term with a digit matches anywhere,
so "001193" finds "1.001193". Results: exact code first, then names containing the whole
query as a phrase, then the rest; within a group shorter names first, then by folded name.
Without a query the list is alphabetical (folded, so "Đ" sorts with "D").

Both patterns (`LIKE 'term%'`, `LIKE '% term%'`) can use the trigram index of migration
catalogue 0002 on PostgreSQL; SQLite scans the folded column.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length, Substr
from django.shortcuts import get_object_or_404

from motcua.organisations.models import Agency

from .models import Field, Procedure, ProcedureVersion
from .text import fold, search_terms

# More terms than this are ignored: a query costs one LIKE pair per term.
MAX_TERMS = 12
LISTING_COLUMNS = (
    "code",
    "name",
    "levels_index",
    "online_level",
    "field__name",
    "field__code",
    "current_version__time_limit_value",
    "current_version__time_limit_unit",
    "current_version__time_limit_text",
)
PUBLIC_STATUSES = (ProcedureVersion.Status.PUBLISHED, ProcedureVersion.Status.SUPERSEDED)
ImplementingAgency = ProcedureVersion.implementing_agencies.through


@dataclass(frozen=True)
class CatalogueQuery:
    """What a citizen asks the catalogue; empty values mean "any"."""

    text: str = ""
    agency_id: int | None = None
    field_id: int | None = None
    level: str = ""
    online_level: str = ""


def search_procedures(query: CatalogueQuery) -> QuerySet[Procedure]:
    """Published procedures matching `query`, ranked, with the columns a list shows."""
    procedures = Procedure.objects.published()
    for term in search_terms(query.text)[:MAX_TERMS]:
        procedures = procedures.filter(_term_condition(term))
    procedures = _filter(procedures, query)
    listed = procedures.select_related("field", "current_version").only(*LISTING_COLUMNS)
    return _ranked(listed, query.text)


def _term_condition(term: str) -> Q:
    if any(ch.isdigit() for ch in term):
        return Q(search_text__contains=term)
    return Q(search_text__startswith=term) | Q(search_text__contains=" " + term)


def _filter(procedures: QuerySet[Procedure], query: CatalogueQuery) -> QuerySet[Procedure]:
    if query.agency_id is not None:
        procedures = procedures.filter(_implemented_by(query.agency_id))
    if query.field_id is not None:
        procedures = procedures.filter(field_id=query.field_id)
    if query.level:
        procedures = procedures.filter(levels_index__contains=f" {query.level} ")
    if query.online_level:
        procedures = procedures.filter(online_level=query.online_level)
    return procedures


def _implemented_by(agency_id: int) -> Q:
    """Implementing agencies of the current version, or the agency that maintains the entry."""
    versions = ImplementingAgency.objects.filter(agency_id=agency_id).values("procedureversion_id")
    return Q(owner_agency_id=agency_id) | Q(current_version_id__in=versions)


def _ranked(procedures: QuerySet[Procedure], text: str) -> QuerySet[Procedure]:
    # search_text is "<folded code> <folded name> <folded field>": skipping the code gives a
    # diacritic-free sort key, so "Đăng ký" sorts among the D's on every database.
    folded_name = Substr("search_text", Length("code") + 2)
    phrase = fold(text)
    if not phrase:
        return procedures.order_by(folded_name, "code")
    rank = Case(
        When(code__iexact=text.strip(), then=Value(0)),
        When(search_text__contains=" " + phrase, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # Among equals, the shorter name is the more specific match ("Cấp giấy phép lái xe"
    # before "Cấp giấy phép lái xe quốc tế").
    return procedures.order_by(rank, Length("name"), folded_name, "code")


def agencies_with_procedures() -> QuerySet[Agency]:
    """Agencies that implement or maintain at least one published procedure."""
    published = Procedure.objects.published()
    implementing = ImplementingAgency.objects.filter(
        procedureversion_id__in=published.values("current_version_id")
    ).values("agency_id")
    return Agency.objects.filter(
        Q(pk__in=published.values("owner_agency_id")) | Q(pk__in=implementing)
    ).order_by("name")


def fields_with_procedures() -> QuerySet[Field]:
    return Field.objects.filter(pk__in=Procedure.objects.published().values("field_id")).order_by(
        "name"
    )


def get_public_version(code: str, *, number: int | None = None) -> ProcedureVersion:
    """The current version of a published procedure, or its version `number` if that was
    ever published (drafts stay private). Raises Http404."""
    procedure = get_object_or_404(Procedure.objects.published(), code=code)
    versions = ProcedureVersion.objects.filter(procedure=procedure, status__in=PUBLIC_STATUSES)
    if number is None:
        versions = versions.filter(pk=procedure.current_version_id)
    else:
        versions = versions.filter(number=number)
    version = get_object_or_404(_with_content(versions))
    version.procedure = procedure
    return version


def _with_content(versions: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    return versions.select_related("field", "deciding_agency").prefetch_related(
        "components",
        "fees",
        "implementing_agencies",
        "steps__agency",
        "steps__department",
    )


def version_history(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    """Every version a citizen may look at, newest first (number, status, date only)."""
    return (
        procedure.versions.filter(status__in=PUBLIC_STATUSES)
        .only("number", "status", "published_at", "procedure_id")
        .order_by("-number")
    )
