"""Catalogue API: search published procedures and read one (GET only, no login)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import ValidationError

from motcua.catalogue.models import Field
from motcua.catalogue.search import CatalogueQuery, get_public_version, search_procedures
from motcua.organisations.models import Agency

from .schemas.catalogue import ProcedureDetail, ProcedureFilters, ProcedurePage
from .schemas.paging import page_of
from .schemas.responses import answers

router = Router(tags=["catalogue"])


@router.get("", response=answers(ProcedurePage, (422,)), summary="Search procedures")
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]) -> dict:
    """Published procedures, best match first. Same rule as the /thu-tuc/ pages.
    A page past the end has no results."""
    return page_of(search_procedures(_catalogue_query(filters)), filters)


def _catalogue_query(filters: ProcedureFilters) -> CatalogueQuery:
    return CatalogueQuery(
        text=filters.q,
        agency_id=_id_by_code(Agency, "agency", filters.agency),
        field_id=_id_by_code(Field, "field", filters.field),
        level=filters.level or "",
        online_level=filters.online or "",
    )


def _id_by_code(model: type[Agency] | type[Field], param: str, code: str | None) -> int | None:
    """The id of the row with `code`; an unknown code is invalid input (422)."""
    if not code:
        return None
    pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationError(
            [{"loc": ["query", param], "msg": f"Unknown {param} code", "type": "unknown_code"}]
        )
    return pk


@router.get("/{code}", response=answers(ProcedureDetail, (404, 422)), summary="Read a procedure")
def get_procedure(request: HttpRequest, code: str, version: int | None = None):
    """The current version, or published version `version` (superseded ones included)."""
    return get_public_version(code, number=version)
