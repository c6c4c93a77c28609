"""The dossier page's action forms carry the version the page was drawn with: a double click,
or a click after someone else changed the dossier, is refused with a message, the page shows
the dossier as it is now and keeps what the user typed (issue 11 §2.1)."""

import re

from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.processing import assign_step
from motcua.dossiers.status import Action
from motcua.dossiers.tests.conftest import (  # noqa: F401
    MONDAY,
    appraising_head,
    at,
    processing,
    receive,
)


def version_on_page(html: str, action: str) -> int:
    found = re.search(rf'name="{action}-version" value="(\d+)"', html)
    assert found, f"no version in the {action} form"
    return int(found.group(1))


def states(dossier: Dossier) -> list[str]:
    return list(dossier.steps.order_by("order").values_list("state", flat=True))


def complete(client, code: str, version: int, note: str):
    data = {"complete-note": note, "complete-version": version}
    return client.post(reverse("backoffice:act", args=[code, "complete"]), data)


def test_complete_clicked_twice_completes_the_step_once(
    client,
    processing,  # noqa: F811
    appraising_head,  # noqa: F811
):
    client.force_login(appraising_head)
    with at(MONDAY):
        page = client.get(reverse("backoffice:dossier", args=[processing.code])).content.decode()
        seen = version_on_page(page, "complete")
        first = complete(client, processing.code, seen, "Đủ điều kiện cấp")
        second = complete(client, processing.code, seen, "Đủ điều kiện cấp")

    assert first.status_code == 302
    assert second.status_code == 409
    html = second.content.decode()
    assert "Chưa thực hiện được: Hồ sơ đã thay đổi kể từ khi được mở" in html
    assert "Đủ điều kiện cấp</textarea>" in html  # what was typed is still there
    assert version_on_page(html, "complete") == seen + 1  # the page as it is now
    dossier = Dossier.objects.get(pk=processing.pk)
    assert dossier.version == seen + 1
    assert states(dossier) == ["done", "done", "active", "pending", "pending", "pending"]
    events = DossierEvent.objects.filter(dossier=dossier, action=Action.COMPLETE_STEP)
    assert list(events.values_list("note", flat=True)) == ["Đủ điều kiện cấp"]


def test_an_action_on_a_page_someone_else_changed_is_refused(
    client,
    processing,  # noqa: F811
    appraising_head,  # noqa: F811
    department_head,
    specialist,
):
    client.force_login(appraising_head)
    with at(MONDAY):
        page = client.get(reverse("backoffice:dossier", args=[processing.code])).content.decode()
        assign_step(processing, actor=department_head, assignee=specialist)  # meanwhile
        refused = complete(client, processing.code, version_on_page(page, "complete"), "Xong")

    assert refused.status_code == 409
    assert "Xong</textarea>" in refused.content.decode()
    dossier = Dossier.objects.get(pk=processing.pk)
    assert states(dossier)[1] == "active"
    assert not dossier.events.filter(action=Action.COMPLETE_STEP).exists()


def test_a_form_without_its_version_does_nothing(client, processing, appraising_head):  # noqa: F811
    client.force_login(appraising_head)
    with at(MONDAY):
        url = reverse("backoffice:act", args=[processing.code, "complete"])
        response = client.post(url, {"complete-note": "x"}, follow=True)

    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert states(processing)[1] == "active"
