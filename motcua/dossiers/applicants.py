"""Who files a dossier, and the checks on their identity numbers.

Citizens: the 12-digit personal identification number on the citizen ID card (Law on
Identification 2023). Enterprises, cooperatives and household businesses: the tax code,
10 digits or 10 digits + "-" + 3 digits for a branch (Law on Tax Administration 2019 art. 30).
Foreigners: a passport number (letters and digits).

At the counter and in the API a number is checked by the structure of its type
(dossiers.identity), the type following from the applicant type: a citizen gives the 12-digit
personal identity number, a foreigner a passport (the documented way to record one: choose
the applicant type "Foreigner"), an enterprise or organisation its tax code. History brought
in by import_dossiers keeps the older checks by length only, so that nothing is refused for
being old (issue 14).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.models import ApplicantType

from . import identity
from .errors import DossierError
from .identity import IdentityType

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
ERROR_CODES: dict[str, str] = {
    IdentityType.PERSONAL_ID: "invalid_citizen_id",
    IdentityType.PASSPORT: "invalid_passport",
    IdentityType.TAX_CODE: "invalid_tax_code",
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


def clean_applicant(applicant: Applicant, *, historical: bool = False) -> Applicant:
    """The applicant with numbers normalised, or DossierError naming the bad field.
    `historical`: a record of the past (import_dossiers), whose number is checked by length
    only."""
    if applicant.type not in ApplicantType.values:
        raise DossierError("invalid_applicant_type", _("Unknown applicant type."))
    name = " ".join(applicant.name.split())
    if not name:
        raise DossierError("applicant_name_required", _("Enter the applicant's name."))
    if historical:
        number = applicant.id_number.strip().upper().replace(" ", "")
        _check_id_number_length(applicant.type, number)
    else:
        number = check_id_number(applicant.type, applicant.id_number)
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


def identity_type_for(applicant_type: str) -> str:
    """The identity document an applicant of this type gives at the counter."""
    if applicant_type == ApplicantType.FOREIGNER:
        return IdentityType.PASSPORT
    if applicant_type in TAX_CODE_HOLDERS:
        return IdentityType.TAX_CODE
    return IdentityType.PERSONAL_ID


def check_id_number(applicant_type: str, number: str) -> str:
    """The number normalised, or DossierError saying what is wrong with it (the rules and
    their legal sources are in dossiers.identity)."""
    kind = identity_type_for(applicant_type)
    try:
        return identity.validate(kind, number, today=timezone.localdate())
    except identity.IdentityError as error:
        raise DossierError(ERROR_CODES[kind], error.message) from None


def _check_id_number_length(applicant_type: str, number: str) -> None:
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
