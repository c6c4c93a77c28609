"""The queue's settings in the admin: the point's agency administrators only, saves audited."""

from django.urls import reverse

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.queueing.models import ServicePoint


def test_the_agency_administrator_edits_the_point(client, agency_admin, point, counter_one):
    client.login(username=agency_admin.username, password=PASSWORD)
    for name in ("servicepoint", "queueservice", "queuecounter", "ticket", "appointment"):
        assert client.get(reverse(f"admin:queueing_{name}_changelist")).status_code == 200
    url = reverse("admin:queueing_servicepoint_change", args=[point.pk])
    assert client.get(url).status_code == 200
    data = {
        "reception_point": point.reception_point_id, "slug": "thanh-sen", "is_active": "on",
        "opens_early_minutes": 15, "priority_categories": ["elderly", "pregnant"],
        "slot_minutes": 30, "slot_capacity": 3, "voice": "vi",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    point.refresh_from_db()
    assert point.priority_categories == ["elderly", "pregnant"]
    assert AuditEvent.objects.filter(target_type="queueing.servicepoint").exists()


def test_a_reserved_address_name_is_refused(client, agency_admin, point):
    client.login(username=agency_admin.username, password=PASSWORD)
    url = reverse("admin:queueing_servicepoint_change", args=[point.pk])
    data = {
        "reception_point": point.reception_point_id, "slug": "tra-cuu", "is_active": "on",
        "opens_early_minutes": 30, "slot_minutes": 30, "slot_capacity": 2, "voice": "vi",
    }  # fmt: skip
    assert client.post(url, data).status_code == 200
    assert ServicePoint.objects.get().slug == "thanh-sen"


def test_another_agencys_administrator_does_not_see_the_point(client, other_agency_admin, point):
    client.login(username=other_agency_admin.username, password=PASSWORD)
    url = reverse("admin:queueing_servicepoint_change", args=[point.pk])
    assert client.get(url).status_code in (302, 403, 404)
    listing = client.get(reverse("admin:queueing_servicepoint_changelist"))
    assert "thanh-sen" not in listing.content.decode()
