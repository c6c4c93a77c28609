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
