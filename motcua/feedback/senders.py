"""Who sends feedback and what it may be about: the signed-in citizen's account, the
dossier the item names (only the sender's own), the published item it sends again about
(the same account or phone), the agencies it may be sent to. Shared by the portal's pages
and the JSON API."""

from django.http import Http404
from django.utils.translation import gettext as _

from motcua.accounts.middleware import is_citizen_session
from motcua.accounts.models import CitizenAccount
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import get_account_dossier
from motcua.organisations.models import Agency

from . import register
from .errors import FeedbackError
from .models import Feedback


def sending_agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


def account_of(request) -> CitizenAccount | None:
    if request.user.is_authenticated and is_citizen_session(request):
        return CitizenAccount.objects.filter(user=request.user.pk).first()
    return None


def sender_dossier(code: str, account, phone: str) -> Dossier | None:
    """The dossier the item is about: the signed-in person's own, or one whose applicant's
    phone is the phone given (so that nobody attaches a complaint to someone else's)."""
    code = code.strip()
    if not code:
        return None
    if account is not None:
        try:
            return get_account_dossier(account, code)
        except Http404:
            pass
    else:
        found = Dossier.objects.filter(code=code).first()
        if found is not None and phone and _digits(found.applicant_phone) == _digits(phone):
            return found
    raise FeedbackError(
        "dossier_not_found",
        _("No dossier of yours has this code (the phone must be the one on the dossier)."),
        status=400,
        field="code",
    )


def _digits(text: str) -> str:
    digits = "".join(c for c in text or "" if c.isdigit())
    return "0" + digits[2:] if digits.startswith("84") else digits


def sender_follow_up(reference: str, account, phone: str) -> Feedback | None:
    """The published item this one sends again (QĐ 766 5.3 counts it as not satisfied): the
    signed-in sender's own, or one sent from the same phone."""
    if not reference:
        return None
    found = Feedback.objects.filter(reference=reference, state=Feedback.State.PUBLISHED).first()
    if found is not None:
        mine = account is not None and found.sender_user_id == account.user_id
        try:
            same_phone = register.clean_phone(phone) == found.sender_phone
        except FeedbackError:
            same_phone = False
        if mine or same_phone:
            return found
    raise FeedbackError(
        "follow_up_not_found",
        _("The answer you reply to was not found among yours (the phone must be the same)."),
    )


def default_agency() -> Agency | None:
    """The one-stop centre an item goes to when the sender names no agency."""
    centres = sending_agencies().filter(kind__in=["provincial_centre", "commune_centre"])
    return centres.first()
