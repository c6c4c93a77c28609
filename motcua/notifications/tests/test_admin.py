"""The notices' admin pages open for a system administrator, and the template edit is
audited."""

import pytest

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.notifications.models import NoticeTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_root(client, system_admin):
    client.login(username=system_admin.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("model", ["notification", "noticetemplate", "contactpreference"])
def test_the_lists_open(as_root, model):
    assert as_root.get(f"/admin/notifications/{model}/").status_code == 200


def test_a_template_changed_in_the_admin_is_audited(as_root):
    template = NoticeTemplate.objects.get(event="received", language="vi")
    url = f"/admin/notifications/noticetemplate/{template.pk}/change/"
    assert as_root.get(url).status_code == 200
    response = as_root.post(
        url,
        {
            "event": "received",
            "language": "vi",
            "subject": "Đã nhận hồ sơ {{ code }}",
            "body": template.body,
            "sms": template.sms,
            "zalo_template_id": "231001",
            "zalo_params": '{"ma_ho_so": "code"}',
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    template.refresh_from_db()
    assert template.zalo_template_id == "231001"
    assert AuditEvent.objects.filter(action="noticetemplate.changed").exists()


def test_a_template_that_does_not_compile_is_refused(as_root):
    template = NoticeTemplate.objects.get(event="received", language="en")
    url = f"/admin/notifications/noticetemplate/{template.pk}/change/"
    response = as_root.post(
        url,
        {
            "event": "received",
            "language": "en",
            "subject": "Dossier {% if code %}",
            "body": template.body,
            "sms": template.sms,
            "zalo_params": "{}",
            "active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    template.refresh_from_db()
    assert template.subject == "Dossier {{ code }} received"
