"""Codes in a record -> rows in the database: agencies, departments, fields."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from motcua.organisations.models import Agency, Department

from ..text import fold
from .parse import RecordError
from .record import ProcedureRecord

FIELD_CODE_LIMIT = 64


@dataclass
class References:
    """The agencies and departments a record names, found."""

    owner: Agency | None = None
    implementing: list[Agency] = field(default_factory=list)
    deciding: Agency | None = None
    steps: list[tuple[Agency | None, Department | None]] = field(default_factory=list)


class AgencyDirectory:
    """Looks agencies and departments up by code, once each.

    The `owner_agency` given on the command line wins over the record's own."""

    def __init__(self, owner_agency: Agency | None = None):
        self.owner_agency = owner_agency
        self._agencies: dict[str, Agency | None] = {}
        self._departments: dict[tuple[str, str], Department | None] = {}

    def resolve(self, record: ProcedureRecord) -> References:
        owner = self.owner_agency or self._agency(record.owner_agency)
        return References(
            owner=owner,
            implementing=[a for a in map(self._agency, record.implementing_agencies) if a],
            deciding=self._agency(record.deciding_agency),
            steps=[self._step(step) for step in record.steps],
        )

    def _agency(self, code: str | None) -> Agency | None:
        if not code:
            return None
        if code not in self._agencies:
            self._agencies[code] = Agency.objects.filter(code=code).first()
        if self._agencies[code] is None:
            raise RecordError(_("Unknown agency code %(code)s.") % {"code": code})
        return self._agencies[code]

    def _step(self, step: dict) -> tuple[Agency | None, Department | None]:
        agency = self._agency(step.get("agency"))
        code = step.get("department")
        if not code:
            return agency, None
        if agency is None:
            raise RecordError(_("Step %(order)s: a department needs an agency.") % step)
        key = (agency.code, code)
        if key not in self._departments:
            self._departments[key] = Department.objects.filter(agency=agency, code=code).first()
        if self._departments[key] is None:
            raise RecordError(
                _("Step %(order)s: unknown department %(department)s of %(agency)s.") % step
            )
        return agency, self._departments[key]


def field_code_for(name: str, wanted: str, taken: set[str]) -> str:
    """`wanted` if free, else the folded name with '-' for spaces ("Hộ tịch" -> "ho-tich"),
    cut to 64 characters at a word, with -2, -3... when taken."""
    if wanted and wanted not in taken and len(wanted) <= FIELD_CODE_LIMIT:
        return wanted
    slug = fold(name).replace(" ", "-") or "field"
    if len(slug) > FIELD_CODE_LIMIT:
        slug = slug[: FIELD_CODE_LIMIT - 3].rsplit("-", 1)[0]
    code, number = slug, 1
    while code in taken:
        number += 1
        code = f"{slug}-{number}"
    return code
