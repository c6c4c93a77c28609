"""Who files a dossier, and the checks on their identity numbers.

Citizens: the 12-digit personal identification number on the citizen ID card (Law on
Identification 2023). Enterprises, cooperatives and household businesses: the tax code,
10 digits or 10 digits + "-" + 3 digits for a branch (Law on Tax Administration 2019 art. 30).
Foreigners: a passport number (letters and digits).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.catalogue.models import ApplicantType

from .errors import DossierError

CITIZEN_ID = re.compile(r"^\d{12}$")
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PASSPORT = re.compile(r"^[A-Z0-9]{6,20}$")
PHONE = re.compile(r"^\+?\d{9,12}$")
TAX_CODE_HOLDERS = {
    ApplicantType.ENTERPRISE,
    ApplicantType.HOUSEHOLD_BUSINESS,
    ApplicantType.COOPERATIVE,
    ApplicantType.ORGANISATION,
    ApplicantType.PUBLIC_BODY,
}


@dataclass(frozen=True)
class Applicant:
    type: str
    name: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""


def _normalise_phone(phone: str) -> str:
    return re.sub(r"[\s.\-()]", "", phone)


def clean_applicant(applicant: Applicant) -> Applicant:
    """The applicant with numbers normalised, or DossierError naming the bad field."""
    if applicant.type not in ApplicantType.values:
        raise DossierError("invalid_applicant_type", _("Unknown applicant type."))
    name = " ".join(applicant.name.split())
    if not name:
        raise DossierError("applicant_name_required", _("Enter the applicant's name."))
    number = applicant.id_number.strip().upper().replace(" ", "")
    _check_id_number(applicant.type, number)
    phone = _normalise_phone(applicant.phone)
    if phone and not PHONE.match(phone):
        raise DossierError("invalid_phone", _("The phone number must have 9 to 12 digits."))
    email = applicant.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DossierError("invalid_email", _("The e-mail address is not valid.")) from None
    return Applicant(
        applicant.type, name, number, phone, email, " ".join(applicant.address.split())
    )


def _check_id_number(applicant_type: str, number: str) -> None:
    if applicant_type == ApplicantType.CITIZEN and not CITIZEN_ID.match(number):
        raise DossierError("invalid_citizen_id", _("A citizen's ID number has exactly 12 digits."))
    if applicant_type in TAX_CODE_HOLDERS and not TAX_CODE.match(number):
        raise DossierError(
            "invalid_tax_code",
            _("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch."),
        )
    if applicant_type == ApplicantType.FOREIGNER and not PASSPORT.match(number):
        raise DossierError(
            "invalid_passport", _("A passport number has 6 to 20 letters and digits.")
        )
