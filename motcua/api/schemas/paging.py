"""Paged lists of the API: `page` and `page_size` in the query, `count`, `page`,
`page_size` and `results` in the answer. A page past the end has no results."""

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 100
# A bound keeps the offset a number every database takes ((page - 1) * page_size).
MAX_PAGE = 1_000_000


class PageFilters(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1 to 1,000,000.")
    page_size: int = Field(
        25, ge=1, le=MAX_PAGE_SIZE, description="Results per page, from 1 to 100."
    )


def page_of(rows: QuerySet, filters: PageFilters) -> dict:
    start = (filters.page - 1) * filters.page_size
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": list(rows[start : start + filters.page_size]),
    }
