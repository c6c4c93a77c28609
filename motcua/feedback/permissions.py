"""Who may see and act on feedback items and ratings: the role policy's capabilities
(organisations.roles), at the agency that received the item or the one handling it. No new
capability: the one-stop section receives feedback as it receives dossiers (Decree 20/2008
art. 9: receive, register, classify, forward), the competent agency's officers handle it
as they process dossiers, its leaders approve the answer as they sign results.

* receiving clerks of the receiving agency: enter, classify, refuse, forward, ask and take
  the supplement, publish;
* specialists of the handling agency: handle, answer, refuse, ask and take the supplement;
* leaders of the handling agency: approve or send back the answer, publish;
* anyone of either agency who may see its dossiers, and supervisors: read;
* supervisors (SUPERVISE): the overdue list; report readers (VIEW_REPORTS): the
  satisfaction report.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from motcua.organisations import permissions
from motcua.organisations.roles import Capability as C

from .models import Feedback

READ = (
    C.RECEIVE_DOSSIER,
    C.PROCESS_DOSSIER,
    C.APPROVE_DOSSIER,
    C.VIEW_DOSSIERS,
    C.SUPERVISE,
)
RECEIVING, HANDLING = "agency", "handling_agency"
# action -> capabilities and where: (capability, RECEIVING | HANDLING)
ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "classify": ((C.RECEIVE_DOSSIER, RECEIVING),),
    "forward": ((C.RECEIVE_DOSSIER, RECEIVING),),
    "refuse": ((C.RECEIVE_DOSSIER, RECEIVING), (C.PROCESS_DOSSIER, HANDLING)),
    "ask_supplement": ((C.RECEIVE_DOSSIER, RECEIVING), (C.PROCESS_DOSSIER, HANDLING)),
    "receive_supplement": ((C.RECEIVE_DOSSIER, RECEIVING), (C.PROCESS_DOSSIER, HANDLING)),
    "start_handling": ((C.PROCESS_DOSSIER, HANDLING),),
    "answer": ((C.PROCESS_DOSSIER, HANDLING),),
    "send_back": ((C.APPROVE_DOSSIER, HANDLING),),
    "approve": ((C.APPROVE_DOSSIER, HANDLING),),
    "publish": ((C.RECEIVE_DOSSIER, RECEIVING), (C.APPROVE_DOSSIER, HANDLING)),
}


def visible_feedback(user) -> QuerySet[Feedback]:
    """The items `user` may read: received or handled by one of their agencies."""
    ids = permissions.agency_ids_for_any(user, READ)
    found = Feedback.objects.select_related("agency", "handling_agency")
    if ids is None:
        return found
    return found.filter(Q(agency_id__in=ids) | Q(handling_agency_id__in=ids))


def get_feedback_for(user, pk: int) -> Feedback:
    """Item `pk` if `user` may read it; 404 otherwise."""
    try:
        return visible_feedback(user).get(pk=pk)
    except Feedback.DoesNotExist:
        raise Http404 from None


def may(user, action: str, item: Feedback) -> bool:
    for capability, where in ACTIONS[action]:
        if permissions.can(user, capability, getattr(item, f"{where}_id")):
            return True
    return False


def may_enter(user) -> bool:
    """May `user` enter items received by phone or letter (somewhere)?"""
    return permissions.can(user, C.RECEIVE_DOSSIER)


def entering_agencies(user):
    return permissions.agencies_for(user, C.RECEIVE_DOSSIER).filter(is_active=True)


def supervised_agency_ids(user) -> set[int] | None:
    return permissions.agency_ids_for(user, C.SUPERVISE)


def report_agency_ids(user) -> set[int] | None:
    return permissions.agency_ids_for_any(user, (C.VIEW_REPORTS, C.SUPERVISE))


def may_supervise(user) -> bool:
    return permissions.can(user, C.SUPERVISE)


def may_read_reports(user) -> bool:
    return permissions.holds_anywhere(user, (C.VIEW_REPORTS, C.SUPERVISE))


def may_read_any(user) -> bool:
    return permissions.holds_anywhere(user, READ)
