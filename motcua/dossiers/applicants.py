"""Who files a dossier, and the checks on their identity numbers.

Citizens: the 12-digit personal identification number on the citizen ID card (Law on
Identification 2023). Enterprises, cooperatives and household businesses: the tax code,
10 digits or 10 digits + "-" + 3 digits for a branch (Law on Tax Administration 2019 art. 30).
Foreigners: a passport number (letters and digits).

At the counter and in the API a number is checked by the structure of its type
(dossiers.identity), the type following from the applicant type: a citizen gives the 12-digit
personal identity number (or a passport, for a citizen living abroad), a foreigner a
passport (the documented way to record one: choose the applicant type "Foreigner"), an
enterprise or organisation its tax code. The dossier records the type beside the number
(Dossier.applicant_id_type). History brought in by import_dossiers may hold any type (a
9-digit old identity card, no number at all), guessed from the number's shape when the
export does not say, and checked by shape only, so that nothing is refused for being old
(issue 14).
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
from .permissions import dossiers_for

CITIZEN_ID = re.compile(r"^\d{12}$")
OLD_ID_CARD = re.compile(r"^\d{9}$")
NO_NUMBER = re.compile(r"^$")
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
HISTORY_ERROR_CODES: dict[str, str] = {
    **ERROR_CODES,
    IdentityType.OLD_ID_CARD: "invalid_old_id_card",
    IdentityType.NONE: "unexpected_number",
}


@dataclass(frozen=True)
class Applicant:
    type: str
    name: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""
    # The identity document the number is from (identity.IdentityType); "" for the one the
    # applicant type gives at the counter (identity_type_for).
    id_type: str = ""


# The documents a new applicant may identify with at the counter and online, by applicant
# type: a citizen the personal identity number (or a passport, for one living abroad), a
# foreigner a passport, an enterprise or organisation its tax code. History may hold any
# (an old 9-digit card, no number at all): see clean_applicant(historical=True).
COUNTER_TYPES: dict[str, frozenset[str]] = {
    ApplicantType.CITIZEN: frozenset({IdentityType.PERSONAL_ID, IdentityType.PASSPORT}),
    ApplicantType.FOREIGNER: frozenset({IdentityType.PASSPORT}),
    **{holder: frozenset({IdentityType.TAX_CODE}) for holder in TAX_CODE_HOLDERS},
}


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
    kind = applicant.id_type or identity_type_for(applicant.type)
    if historical:
        number = "".join(applicant.id_number.split()).upper()
        if not applicant.id_type:
            kind = guess_identity_type(applicant.type, number)
        _check_historical(kind, number)
    else:
        number = check_id_number(applicant.type, applicant.id_number, kind)
    phone = _normalise_phone(applicant.phone)
    if phone and not PHONE.match(phone):
        raise DossierError("invalid_phone", _("The phone number must have 9 to 12 digits."))
    email = applicant.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DossierError("invalid_email", _("The e-mail address is not valid.")) from None
    address = " ".join(applicant.address.split())
    return Applicant(applicant.type, name, number, phone, email, address, kind)


def identity_type_for(applicant_type: str) -> str:
    """The identity document an applicant of this type gives at the counter."""
    if applicant_type == ApplicantType.FOREIGNER:
        return IdentityType.PASSPORT
    if applicant_type in TAX_CODE_HOLDERS:
        return IdentityType.TAX_CODE
    return IdentityType.PERSONAL_ID


def check_id_number(applicant_type: str, number: str, kind: str = "") -> str:
    """The number normalised, or DossierError saying what is wrong with it (the rules and
    their legal sources are in dossiers.identity). `kind`: the identity document, one the
    applicant type may use at the counter (COUNTER_TYPES); by default the usual one."""
    kind = kind or identity_type_for(applicant_type)
    if kind not in COUNTER_TYPES.get(applicant_type, ()):
        raise DossierError(
            "invalid_id_type",
            _("A %(applicant)s identifies with: %(documents)s.")
            % {
                "applicant": ApplicantType(applicant_type).label.lower(),
                "documents": ", ".join(
                    str(IdentityType(t).label) for t in sorted(COUNTER_TYPES[applicant_type])
                ),
            },
        )
    try:
        return identity.validate(kind, number, today=timezone.localdate())
    except identity.IdentityError as error:
        raise DossierError(ERROR_CODES[kind], error.message) from None


def guess_identity_type(applicant_type: str, number: str) -> str:
    """The document a historical record's number is from, when the export does not say: an
    organisation's tax code, a foreigner's passport, a citizen's 9-digit old card or 12-digit
    number, or no number at all."""
    if not number:
        return IdentityType.NONE
    if applicant_type == ApplicantType.FOREIGNER:
        return IdentityType.PASSPORT
    if applicant_type in TAX_CODE_HOLDERS:
        return IdentityType.TAX_CODE
    if OLD_ID_CARD.match(number):
        return IdentityType.OLD_ID_CARD
    if CITIZEN_ID.match(number):
        return IdentityType.PERSONAL_ID
    return IdentityType.PASSPORT


def _check_historical(kind: str, number: str) -> None:
    """A record of the past is checked by the shape of its type only: structure rules (a
    province code, a check digit) came later than some of the numbers, and history is
    recorded as it was, never refused for being old (issue 14)."""
    shapes = {
        IdentityType.PERSONAL_ID: (CITIZEN_ID, _("A citizen's ID number has exactly 12 digits.")),
        IdentityType.OLD_ID_CARD: (
            OLD_ID_CARD,
            _("An old identity card number has exactly 9 digits."),
        ),
        IdentityType.TAX_CODE: (
            TAX_CODE,
            _("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch."),
        ),
        IdentityType.PASSPORT: (PASSPORT, _("A passport number has 6 to 20 letters and digits.")),
        IdentityType.NONE: (NO_NUMBER, _("No number is expected here.")),
    }
    if kind not in shapes:
        raise DossierError("invalid_id_type", _("Unknown identity document type."))
    shape, message = shapes[IdentityType(kind)]
    if not shape.match(number):
        raise DossierError(HISTORY_ERROR_CODES[kind], message)


# --- A returning applicant, found at the counter by their number (issue 13 §12) ------------

EARLIER_SHOWN = 5


@dataclass(frozen=True)
class Returning:
    """What the counter knows of an applicant from their earlier dossiers that the clerk may
    see: the latest details they gave, and their latest dossiers."""

    applicant: Applicant
    dossiers: list  # the latest EARLIER_SHOWN dossiers, newest first
    count: int


def find_returning(user, number: str) -> Returning | None:
    """The applicant with this identity number in the dossiers `user` may see
    (dossiers.permissions), or None. The number is normalised as the counter stores it; the
    details are the latest dossier's. Two reads, whatever the history's size (the number is
    indexed)."""
    number = "".join(number.split()).upper()
    if not number:
        return None
    found = dossiers_for(user).filter(applicant_id_number=number)
    latest = list(found.select_related("procedure").order_by("-created_at", "-pk")[:EARLIER_SHOWN])
    if not latest:
        return None
    newest = latest[0]
    applicant = Applicant(
        newest.applicant_type,
        newest.applicant_name,
        newest.applicant_id_number,
        newest.applicant_phone,
        newest.applicant_email,
        newest.applicant_address,
        newest.applicant_id_type,
    )
    count = len(latest) if len(latest) < EARLIER_SHOWN else found.count()
    return Returning(applicant, latest, count)
