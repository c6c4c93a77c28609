"""Counter intake: find the procedure, enter the applicant, tick the checklist, then receive,
guide to supplement (Mẫu 02) or refuse (Mẫu 03). Views parse and call one service."""

from functools import partial
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua.catalogue.models import Procedure
from motcua.catalogue.search import CatalogueQuery, search_procedures
from motcua.dossiers import applicants, idempotency
from motcua.dossiers import intake as services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.routing import catalogue_scope
from motcua.organisations import permissions
from motcua.organisations.models import Agency
from motcua.organisations.roles import Capability

from .forms import ComponentForm, IntakeForm, ProcedureSearchForm

RESULTS = 20


def _receiving_agencies(user):
    agencies = permissions.agencies_for(user, Capability.RECEIVE_DOSSIER).order_by("code")
    if not agencies.exists():
        raise PermissionDenied
    return agencies


@login_required
def choose_procedure(request):
    agencies = list(_receiving_agencies(request.user))
    form = ProcedureSearchForm(request.GET or None)
    procedures = []
    if form.is_valid() and form.cleaned_data["q"]:
        query = CatalogueQuery(form.cleaned_data["q"], agency_id=catalogue_scope(agencies))
        procedures = list(search_procedures(query)[:RESULTS])
    return render(
        request, "backoffice/intake_choose.html", {"form": form, "procedures": procedures}
    )


def _competent_choices(procedure: Procedure):
    version = procedure.current_version
    return Agency.objects.filter(Q(pk__in=version.implementing_agencies.all())).order_by("code")


def _component_forms(request, procedure: Procedure) -> list[ComponentForm]:
    data = request.POST if request.method == "POST" else None
    return [ComponentForm(data, component=c) for c in procedure.current_version.documents()]


def _flag_missing(component_forms: list[ComponentForm]) -> None:
    """Mark, next to the checklist, each mandatory document that was not handed in."""
    for f in component_forms:
        if f.component.required_at_counter and f.handed_in_item() is None:
            f.add_error(None, _("Mandatory: guide the applicant to supplement it, or refuse."))


def _build_intake(form: IntakeForm, procedure: Procedure, items) -> services.Intake:
    data = form.cleaned_data
    return services.Intake(
        procedure=procedure,
        agency=data["agency"],
        applicant=form.applicant(),
        channel=data["channel"],
        handed_in=[i for i in items if i is not None],
        subject=data["subject"],
        sets=data["sets"],
        competent_agency=data["competent_agency"],
    )


def _submit(request, form, component_forms, procedure):
    intake = _build_intake(form, procedure, [f.handed_in_item() for f in component_forms])
    outcome = request.POST.get("outcome")
    if outcome == "supplement":
        missing = [m for f in component_forms if (m := f.missing_item()) is not None]
        return services.request_supplement_at_reception(intake, actor=request.user, missing=missing)
    if outcome == "refuse":
        return services.refuse_at_reception(
            intake, actor=request.user, reasons=form.cleaned_data["refusal_reasons"]
        )
    return services.receive_dossier(intake, actor=request.user)


def _fingerprint(request) -> str:
    """What the form asked: every field as sent except the CSRF token and the form's own."""
    fields = sorted(
        f"{name}={value}"
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "token")
        for value in values
    )
    return idempotency.fingerprint("backoffice-intake", request.path, *fields)


def _submit_once(request, form, component_forms, procedure) -> tuple[str, bool]:
    """(the dossier's code, whether an earlier send of this form recorded it)."""
    submit = partial(_submit, request, form, component_forms, procedure)
    token = form.cleaned_data["token"]
    if not token:  # a page drawn before the token existed
        return submit().code, False

    def answer() -> idempotency.Answer:
        dossier = submit()
        return idempotency.Answer(302, {"code": dossier.code}, dossier)

    outcome = idempotency.once(
        user=request.user, key=token, fingerprint=_fingerprint(request), create=answer
    )
    return outcome.answer.body["code"], outcome.replayed


def _recorded(request, code: str, replayed: bool):
    if replayed:
        message = _("Dossier %(code)s was recorded when this form was first sent, not twice.")
        messages.info(request, message % {"code": code})
    else:
        messages.success(request, _("Dossier %(code)s recorded.") % {"code": code})
    return redirect("backoffice:dossier", code=code)


def _refuse_reused_token(form) -> None:
    """The form was sent before with other details and that dossier was recorded: say so,
    and give the form a new token, so that sending it again is a decision to record another."""
    form.add_error(
        None,
        _(
            "This form was already sent with other details, and that dossier was recorded "
            "(see the list of dossiers). To record another dossier from these details, send "
            "the form again."
        ),
    )
    form.data = form.data.copy()
    form.data["token"] = uuid4().hex


@login_required
def applicant_lookup(request):
    """The returning applicant with the number typed, for the intake form (drawn into it by
    htmx when the number field is left): their latest details, to fill in with one key, and
    their latest dossiers. Counter staff only; only dossiers the clerk may see."""
    _receiving_agencies(request.user)
    number = request.GET.get("id_number", "")[:40]
    returning = applicants.find_returning(request.user, number)
    return render(
        request,
        "backoffice/_returning_applicant.html",
        {"returning": returning, "number": number.strip()},
    )


# What a link may fill in: the queue's counter widget passes the applicant of an appointment.
PREFILLED = ("name", "id_number", "phone")


def _known_applicant(query) -> dict[str, str]:
    return {key: query[key][:255] for key in PREFILLED if query.get(key)}


@login_required
def intake(request, code: str):
    procedure = get_object_or_404(
        Procedure.objects.published()
        .select_related("current_version")
        .prefetch_related("current_version__components"),
        code=code,
    )
    form = IntakeForm(
        request.POST or None,
        agencies=_receiving_agencies(request.user),
        competent_choices=_competent_choices(procedure),
        initial={"subject": procedure.name[:500], **_known_applicant(request.GET)},
    )
    component_forms = _component_forms(request, procedure)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in component_forms):
        try:
            recorded, replayed = _submit_once(request, form, component_forms, procedure)
        except DossierError as error:
            if error.code == "idempotency_key_reused":
                _refuse_reused_token(form)
            else:
                form.add_error(None, error.message)
            if error.code == "incomplete":
                _flag_missing(component_forms)
        else:
            return _recorded(request, recorded, replayed)
    return render(
        request,
        "backoffice/intake_form.html",
        {
            "procedure": procedure,
            "version": procedure.current_version,
            "form": form,
            "component_forms": component_forms,
            "checklist_errors": any(f.errors for f in component_forms),
        },
        status=400 if request.method == "POST" else 200,
    )
