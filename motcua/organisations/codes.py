"""Electronic identifier codes of agencies (QĐ 20/2020/QĐ-TTg art. 4).

A code has at most 35 characters from [0-9A-Z.], read left to right: the first group is the
level-1 code MX1X2 (M a letter A-Y, X digits), each following group the next level down
(e.g. ``H15.50.05.13``, ``G09.20``). Other organisations use Z01-Z99 followed by up to 32
characters. Lengths of the lower groups are not fixed, so they are not hard-coded here.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 35
_AGENCY_CODE = re.compile(r"^(?:[A-Y]\d{2}|Z(?:0[1-9]|[1-9]\d))(?:\.[0-9A-Z]+)*$")


def is_agency_code(value: str) -> bool:
    return len(value) <= MAX_LENGTH and bool(_AGENCY_CODE.match(value))


def validate_agency_code(value: str) -> None:
    if not is_agency_code(value):
        raise ValidationError(
            _(
                "“%(value)s” is not an agency identifier code (QĐ 20/2020): at most 35 "
                "characters 0-9, A-Z and dots, starting with a level-1 code such as H15 or "
                "Z01, e.g. H15.50.05.13."
            ),
            code="invalid_agency_code",
            params={"value": value},
        )


# --- The older form (Circular 10/2016/TT-BTTTT, QCVN 102:2016) ---------------------------
#
# Before QĐ 20/2020 agency codes followed the national technical standard for document
# exchange issued with Circular 10/2016/TT-BTTTT: ``V1V2V3.Z1Z2.Y1Y2.MX1X2``, read right to
# left: MX1X2 the level-1 code (the same level-1 codes QĐ 20/2020 kept), Y1Y2 level 2, Z1Z2
# level 3, V1V2V3 level 4, a level that does not exist written as zeros (``000.00.00.H56``
# is the level-1 body itself). Circular 01/2018/TT-VPCP art. 19 builds dossier codes from
# it. The conversion to the QĐ 20/2020 form reverses the groups and drops the absent levels:
# ``000.00.12.H56`` -> ``H56.12``, ``000.05.50.H15`` -> ``H15.50.05``. Sources and
# confidence: docs/history-import.md §2 (the group order is in Circular 01/2018 art. 19 and
# QĐ 20/2020 art. 4 [C]; that a province kept the same numbers for its lower levels when it
# moved to QĐ 20/2020 is practice seen in real systems, not a rule [S]): where a province
# renumbered, the agency records the old code as an alias (AgencyAlias) and the alias wins.

_OLD_AGENCY_CODE = re.compile(
    r"^(?P<l4>[0-9A-Z]{3})\.(?P<l3>[0-9A-Z]{2})\.(?P<l2>[0-9A-Z]{2})\."
    r"(?P<l1>[A-Y]\d{2}|Z(?:0[1-9]|[1-9]\d))$"
)


def is_old_agency_code(value: str) -> bool:
    """A code of the Circular 10/2016 form V1V2V3.Z1Z2.Y1Y2.MX1X2 (level 1 on the right)."""
    return bool(_OLD_AGENCY_CODE.match(value))


def from_old_agency_code(value: str) -> str | None:
    """The QĐ 20/2020 form of an old-form code (``000.00.12.H56`` -> ``H56.12``), or None
    when `value` is not one or cannot be read as one (a lower level given under an absent
    one, e.g. ``001.00.12.H56``)."""
    match = _OLD_AGENCY_CODE.match(value)
    if not match:
        return None
    groups = [match["l1"], match["l2"], match["l3"], match["l4"]]
    present = [g for g in groups if set(g) != {"0"}]
    if present != groups[: len(present)]:
        return None
    return ".".join(present)


def to_old_agency_code(value: str) -> str | None:
    """The Circular 10/2016 form of a QĐ 20/2020 code of at most four levels whose lower
    groups fit the old widths (2, 2, 3 characters), else None: ``H56.12`` ->
    ``000.00.12.H56``."""
    if not is_agency_code(value):
        return None
    groups = value.split(".")
    if len(groups) > 4:
        return None
    widths = (2, 2, 3)
    lower = groups[1:] + ["0" * w for w in widths[len(groups) - 1 :]]
    if any(len(g) != w for g, w in zip(lower, widths, strict=True)):
        return None
    return ".".join([lower[2], lower[1], lower[0], groups[0]])


_ALIAS = re.compile(r"^[0-9A-Z][0-9A-Z.]*$")


def validate_alias_code(value: str) -> None:
    """An alias is any code an older system used: at most 35 characters 0-9, A-Z and dots."""
    if len(value) > MAX_LENGTH or not _ALIAS.match(value):
        raise ValidationError(
            _("“%(value)s” is not an agency code: at most 35 characters 0-9, A-Z and dots."),
            code="invalid_agency_alias",
            params={"value": value},
        )
