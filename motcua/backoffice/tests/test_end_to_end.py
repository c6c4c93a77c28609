"""A dossier's whole life through the back-office pages, as the staff would click it:
received at the provincial centre, handed over, assigned, a supplement requested and
received, appraised in a department, verified by a commune (another agency), an apology with
a new appointment, approved, result ready, returned. Every step must be in its history with
who and when. Runs on SQLite and PostgreSQL like the rest of the suite."""

from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Action, Status

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@contextmanager
def as_user(client, user, moment):
    with time_machine.travel(moment, tick=False):
        client.force_login(user)
        yield
        client.logout()


def act(client, code, action, **fields):
    fields.setdefault("version", Dossier.objects.get(code=code).version)  # as the page has it
    data = {f"{action}-{key}": value for key, value in fields.items()}
    response = client.post(reverse("backoffice:act", args=[code, action]), data, follow=True)
    assert response.status_code == 200
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert not errors, errors
    return Dossier.objects.get(code=code)


def test_a_dossier_from_the_counter_to_the_result(
    client,
    criminal_record,
    centre,
    justice_department,
    centre_clerk,
    specialist,
    department_head,
    commune_specialist,
    leader,
):
    component = criminal_record.current_version.components.get()
    with as_user(client, centre_clerk, datetime(2026, 3, 9, 8, 30, tzinfo=VN)):
        response = client.post(
            reverse("backoffice:intake", args=["2.000488"]),
            {
                "agency": centre.pk,
                "channel": "in_person",
                "competent_agency": justice_department.pk,
                "applicant_type": "citizen",
                "id_number": "042090005678",
                "name": "Trần Thị Bình",
                "phone": "0987654321",
                "email": "",
                "address": "Hà Tĩnh",
                "subject": "",
                "sets": "1",
                "refusal_reasons": "",
                "outcome": "receive",
                f"c{component.pk}-handed_in": "on",
                f"c{component.pk}-originals": "1",
                f"c{component.pk}-certified_copies": "0",
                f"c{component.pk}-copies": "0",
                f"c{component.pk}-missing_reason": "",
            },
        )
        assert response.status_code == 302
        code = Dossier.objects.get().code
        receipt = client.get(reverse("backoffice:print", args=[code, "01"]))
        assert receipt["Content-Type"] == "application/pdf"
        assert receipt.content.startswith(b"%PDF")
        assert act(client, code, "hand-over", note="").status == Status.PROCESSING

    with as_user(client, department_head, datetime(2026, 3, 9, 9, 0, tzinfo=VN)):
        act(client, code, "assign", assignee=specialist.pk, note="")
    with as_user(client, specialist, datetime(2026, 3, 9, 14, 0, tzinfo=VN)):
        dossier = act(
            client,
            code,
            "request-supplement",
            reason="Tờ khai thiếu chữ ký",
            items="Tờ khai có chữ ký",
        )
        assert dossier.status == Status.SUPPLEMENT
    with as_user(client, centre_clerk, datetime(2026, 3, 10, 9, 0, tzinfo=VN)):
        assert act(client, code, "receive-supplement", note="").status == Status.PROCESSING
    with as_user(client, specialist, datetime(2026, 3, 11, 10, 0, tzinfo=VN)):
        act(client, code, "complete", note="Đủ điều kiện")
    with as_user(client, department_head, datetime(2026, 3, 11, 14, 0, tzinfo=VN)):
        act(client, code, "complete", note="Đồng ý")
    with as_user(client, commune_specialist, datetime(2026, 3, 12, 9, 0, tzinfo=VN)):
        act(client, code, "complete", note="Đã xác minh tại xã")
    with as_user(client, centre_clerk, datetime(2026, 3, 12, 10, 0, tzinfo=VN)):
        due = Dossier.objects.get(code=code).due_at
        act(
            client,
            code,
            "apologise",
            reason="Chờ xác minh liên thông",
            new_due_at=(due.astimezone(VN).replace(day=due.astimezone(VN).day + 1)).strftime(
                "%d/%m/%Y %H:%M"
            ),
            responsible_agency="",
        )
        apology = client.get(reverse("backoffice:print", args=[code, "04"]))
        assert apology.content.startswith(b"%PDF")
    with as_user(client, leader, datetime(2026, 3, 13, 9, 0, tzinfo=VN)):
        act(client, code, "approve", note="")
    with as_user(client, centre_clerk, datetime(2026, 3, 13, 14, 0, tzinfo=VN)):
        assert act(client, code, "result-ready", note="").status == Status.RESOLVED
        dossier = act(
            client,
            code,
            "return",
            method="in_person",
            collected_by_name="Trần Thị Bình",
            collected_by_id_number="042090005678",
        )
        assert dossier.status == Status.RETURNED and dossier.apology_count == 1
        page = client.get(reverse("backoffice:dossier", args=[code])).content.decode()
        control = client.get(reverse("backoffice:print", args=[code, "05"]))
        assert control.content.startswith(b"%PDF")

    actions = list(dossier.events.values_list("action", flat=True))
    for expected in (
        Action.RECEIVE,
        Action.HAND_OVER,
        Action.ASSIGN,
        Action.REQUEST_SUPPLEMENT,
        Action.RECEIVE_SUPPLEMENT,
        Action.COMPLETE_STEP,
        Action.APOLOGISE,
        Action.MARK_RESULT_READY,
        Action.RETURN_RESULT,
    ):
        assert expected in actions
    system = [Action.DUE_SOON, Action.OVERDUE, Action.APOLOGY_PROMPT, Action.DEADLINE_MOVED]
    assert not dossier.events.filter(actor=None).exclude(action__in=system).exists()
    for name in ("Trần Thị Bình", "Thẩm định", "Xác minh", "Ký duyệt"):
        assert name in page
