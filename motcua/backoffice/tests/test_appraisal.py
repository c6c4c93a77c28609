"""Appraised scores of the nine indicators (Circular 01/2018/TT-VPCP) through HTTP: a
supervisor of the agency above a unit enters them for an ended period; they are audited,
applied once, shown beside the self-scores; bad input keeps what was typed; nobody
appraises their own unit or a period still running."""

from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.dossiers.tests.conftest import at, vn
from motcua.reports.models import Appraisal

from .test_quality_pages import APRIL, MARCH, QUALITY

QUERY = "?period=month&year=2026&month=3"


def url(agency) -> str:
    return reverse("backoffice:appraisal", args=[agency.pk]) + QUERY


def scores(**given) -> dict:
    data = {f"score_{n}": "" for n in range(1, 10)} | {f"note_{n}": "" for n in range(1, 10)}
    return data | given


ALL_NINE = scores(**{f"score_{n}": "1,5" for n in range(1, 10)}, note_7="Hai phản ánh có cơ sở")


def post(client, user, agency, data, when=APRIL):
    client.force_login(user)
    with at(when):
        return client.post(url(agency), data)


def events(action=None):
    found = AuditEvent.objects.filter(action__startswith="appraisal.")
    return found.filter(action=action) if action else found


def test_the_supervisor_above_appraises_a_unit_and_the_page_shows_it(
    client, two_dossiers, province_supervisor, centre
):
    client.force_login(province_supervisor)
    with at(APRIL):
        form = client.get(url(centre))
    assert form.status_code == 200
    assert len(form.context["rows"]) == 9
    assert form.context["self_total"] is not None  # the centre's self-scores beside the inputs

    response = post(client, province_supervisor, centre, ALL_NINE)
    assert response.status_code == 302
    assert f"agency={centre.pk}" in response["Location"]
    rows = Appraisal.objects.filter(agency=centre)
    assert sorted(rows.values_list("indicator", flat=True)) == list(range(1, 10))
    assert {r.score for r in rows} == {Decimal("1.5")}
    assert rows.get(indicator=7).note == "Hai phản ánh có cơ sở"
    assert events("appraisal.set").count() == 9
    assert set(events().values_list("actor", flat=True)) == {province_supervisor.pk}

    with at(APRIL):
        page = client.get(QUALITY, MARCH)
    row = next(r for r in page.context["unit_rows"] if r.agency_id == centre.pk)
    assert row.appraised.total == Decimal("13.5")
    assert str(row.appraised.grade) == "good"
    html = page.content.decode()
    assert "TĐ 1,5" in html and "13,5" in html
    assert reverse("backoffice:appraisal", args=[centre.pk]) in html


def test_the_same_scores_sent_again_change_nothing(client, province_supervisor, centre):
    post(client, province_supervisor, centre, ALL_NINE)
    again = post(client, province_supervisor, centre, ALL_NINE)
    assert again.status_code == 302
    assert Appraisal.objects.count() == 9
    assert events().count() == 9


def test_a_change_and_a_removal_are_audited(client, province_supervisor, centre):
    post(client, province_supervisor, centre, scores(score_1="2", score_2="1"))
    post(client, province_supervisor, centre, scores(score_1="1.0"))
    assert list(Appraisal.objects.values_list("indicator", "score")) == [(1, Decimal("1.0"))]
    changed = events("appraisal.changed").get()
    assert changed.data["was"] == "2.0" and changed.data["score"] == "1.0"
    cleared = events("appraisal.cleared").get()
    assert cleared.data["indicator"] == 2 and cleared.actor == province_supervisor


@pytest.mark.parametrize("typed", ["3", "-1", "1,55", "abc", "=1+1"])
def test_a_bad_score_is_refused_and_kept(client, province_supervisor, centre, typed):
    response = post(client, province_supervisor, centre, scores(score_1="2", score_4=typed))
    assert response.status_code == 400
    assert response.context["form"].errors["score_4"]
    assert f'value="{typed}"' in response.content.decode()
    assert not Appraisal.objects.exists() and not events().exists()


def test_nobody_appraises_their_own_unit_or_outside_their_tree(
    client, supervisor, province_supervisor, department_head, centre, provincial_committee
):
    # The centre's own supervisor covers nothing below the centre: no appraisal at all.
    assert post(client, supervisor, centre, ALL_NINE).status_code == 403
    assert post(client, department_head, centre, ALL_NINE).status_code == 403
    # The province's supervisor: not the committee itself, nor an unknown agency.
    assert post(client, province_supervisor, provincial_committee, ALL_NINE).status_code == 404
    client.force_login(province_supervisor)
    with at(APRIL):
        missing = client.get(reverse("backoffice:appraisal", args=[999_999]) + QUERY)
    assert missing.status_code == 404
    assert not Appraisal.objects.exists()


def test_a_period_still_running_is_not_appraised(client, province_supervisor, centre):
    in_march = vn(2026, 3, 20, 9)
    response = post(client, province_supervisor, centre, ALL_NINE, when=in_march)
    assert response.status_code == 400
    assert not Appraisal.objects.exists()
    client.force_login(province_supervisor)
    with at(in_march):
        page = client.get(QUALITY, MARCH)
    assert reverse("backoffice:appraisal", args=[centre.pk]) not in page.content.decode()


def test_a_bad_period_is_a_clear_error(client, province_supervisor, centre):
    client.force_login(province_supervisor)
    with at(APRIL):
        response = client.get(reverse("backoffice:appraisal", args=[centre.pk]) + "?period=x")
    assert response.status_code == 400
