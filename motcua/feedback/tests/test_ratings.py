"""Ratings (issue 19 §1): the citizen rates their returned dossier online, a counter device
rates the dossier its token names and no other, a notice's link, paper questionnaires
entered by staff; one rating per dossier and channel, editable for the policy window,
every change audited."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.feedback.devices import issue_device_token, issue_link_token
from motcua.feedback.models import Channel, Rating

from .conftest import KHAC, logged_in, sign_in

pytestmark = pytest.mark.django_db


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_the_citizen_rates_their_returned_dossier_once_and_may_change_it(client, idp, finished):
    dossier = finished()
    sign_in(client)
    page = client.get(f"/tai-khoan/ho-so/{dossier.code}/").content.decode()
    url = reverse("feedback:rate-dossier", args=[dossier.code])
    assert url in page
    assert client.get(url).status_code == 200
    answer = client.post(url, {"level": "4", "liked": "1", "c_attitude": "4", "comment": "Tốt"})
    assert answer.status_code == 200 and "cảm ơn" in answer.content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.level, rating.liked) == (Channel.PORTAL, 4, True)
    assert rating.criteria == {"attitude": 4} and rating.comment == "Tốt"
    assert rating.procedure_version_id == dossier.procedure_version_id
    event = AuditEvent.objects.get(action="rating.recorded")
    assert event.target_id == str(rating.pk) and event.actor is not None  # the citizen
    # The same rating sent again (a double click) changes nothing.
    client.post(url, {"level": "4", "liked": "1", "c_attitude": "4", "comment": "Tốt"})
    assert Rating.objects.count() == 1 and events("rating.changed") == 0
    # Changed within the window: the same row, audited.
    client.post(url, {"level": "2", "liked": "0", "comment": "Chờ lâu"})
    rating.refresh_from_db()
    assert (rating.level, rating.liked) == (2, False) and events("rating.changed") == 1


def test_a_rating_cannot_be_changed_after_the_window(client, idp, finished, settings):
    settings.MOTCUA_RATING_EDIT_HOURS = 24
    dossier = finished()
    sign_in(client)
    url = reverse("feedback:rate-dossier", args=[dossier.code])
    client.post(url, {"level": "3"})
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        sign_in(client)
        refused = client.post(url, {"level": "1", "comment": "Đổi ý"})
    assert refused.status_code == 409
    assert "Đổi ý" in refused.content.decode()  # what was typed is kept
    assert Rating.objects.get().level == 3


def test_nobody_elses_dossier_and_no_open_dossier(client, idp, finished, open_dossier):
    theirs = finished(KHAC)
    sign_in(client)
    assert client.get(reverse("feedback:rate-dossier", args=[theirs.code])).status_code == 404
    url = reverse("feedback:rate-dossier", args=[open_dossier.code])
    assert client.post(url, {"level": "4"}).status_code == 409
    assert not Rating.objects.exists()


def test_rating_pages_need_a_signed_in_citizen(client, finished):
    dossier = finished()
    response = client.get(reverse("feedback:rate-dossier", args=[dossier.code]))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_bad_level_is_a_clear_error(client, idp, finished):
    dossier = finished()
    sign_in(client)
    url = reverse("feedback:rate-dossier", args=[dossier.code])
    response = client.post(url, {"level": "9", "comment": "x" * 10})
    assert response.status_code == 400 and not Rating.objects.exists()


# --- The counter device ---------------------------------------------------------------------


def test_the_device_rates_the_dossier_of_its_token_at_its_counter(client, finished, clerk):
    mine, other = finished(), finished(KHAC)
    token = issue_device_token(
        dossier=mine, counter_code="Q03", officer=clerk, ticket_number="A012"
    )
    url = reverse("feedback:device-rate", args=[token])
    page = client.get(url).content.decode()
    assert "Q03" in page and mine.code in page and page.count('name="level"') == 4
    # Whatever else is posted, the token's dossier is rated, and no other.
    response = client.post(url, {"level": "3", "dossier": other.pk, "code": other.code})
    assert response.status_code == 200
    rating = Rating.objects.get()
    assert rating.dossier == mine and rating.channel == Channel.DEVICE
    assert (rating.counter_code, rating.ticket_number, rating.officer) == ("Q03", "A012", clerk)
    assert not Rating.objects.filter(dossier=other).exists()


def test_a_device_token_is_tied_to_its_dossier_and_cannot_be_altered(client, finished):
    mine, other = finished(), finished(KHAC)
    token = issue_device_token(dossier=mine, counter_code="Q03")
    forged = issue_device_token(dossier=other, counter_code="Q03")
    tampered = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    assert (
        client.post(reverse("feedback:device-rate", args=[tampered]), {"level": "4"}).status_code
        == 404
    )
    # Another dossier's token (another counter's) rates only that other dossier.
    client.post(reverse("feedback:device-rate", args=[forged]), {"level": "1"})
    assert list(Rating.objects.values_list("dossier_id", flat=True)) == [other.pk]


def test_a_device_token_expires(client, finished, settings):
    settings.MOTCUA_RATING_DEVICE_MINUTES = 5
    dossier = finished()
    token = issue_device_token(dossier=dossier, counter_code="Q01")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post(reverse("feedback:device-rate", args=[token]), {"level": "4"})
    assert response.status_code == 410 and not Rating.objects.exists()


def test_a_replayed_device_token_makes_no_second_rating(client, finished):
    dossier = finished()
    url = reverse(
        "feedback:device-rate", args=[issue_device_token(dossier=dossier, counter_code="Q01")]
    )
    client.post(url, {"level": "4"})
    client.post(url, {"level": "4"})
    client.post(url, {"level": "2"})
    rating = Rating.objects.get()
    assert rating.level == 2
    assert (events("rating.recorded"), events("rating.changed")) == (1, 1)


def test_a_device_may_rate_at_reception_before_the_result(client, open_dossier):
    url = reverse(
        "feedback:device-rate", args=[issue_device_token(dossier=open_dossier, counter_code="Q01")]
    )
    assert client.post(url, {"level": "4"}).status_code == 200
    assert Rating.objects.get().dossier == open_dossier


# --- The link in a notice, paper questionnaires -----------------------------------------------


def test_the_notice_link_rates_without_an_account(client, finished):
    dossier = finished()
    url = reverse("feedback:rate-link", args=[issue_link_token(dossier)])
    assert client.post(url, {"level": "3", "liked": "1"}).status_code == 200
    assert Rating.objects.get().channel == Channel.NOTICE_LINK
    assert client.get(reverse("feedback:rate-link", args=["nope"])).status_code == 404


def test_staff_enter_a_paper_questionnaire_audited(finished, clerk, clerk_of_other_agency):
    dossier = finished()
    url = reverse("feedback_staff:paper")
    other = logged_in(clerk_of_other_agency)
    refused = other.post(url, {"code": dossier.code, "level": "4"})
    assert refused.status_code == 400 and not Rating.objects.exists()
    response = logged_in(clerk).post(
        url, {"code": dossier.code, "level": "1", "comment": "Thái độ"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.channel, rating.entered_by, rating.is_dislike) == (Channel.PAPER, clerk, True)
    assert AuditEvent.objects.get(action="rating.recorded").actor == clerk


def test_the_device_returns_to_the_queue_tablet_and_nowhere_else(client, finished):
    dossier = finished()
    url = reverse(
        "feedback:device-rate", args=[issue_device_token(dossier=dossier, counter_code="Q01")]
    )
    thanks = client.post(url + "?next=/danh-gia/Q01/", {"level": "4"}).content.decode()
    assert 'http-equiv="refresh" content="6;url=/danh-gia/Q01/"' in thanks
    elsewhere = client.post(url + "?next=//evil.example/", {"level": "4"}).content.decode()
    assert "evil.example" not in elsewhere


def test_the_invitation_to_rate_carries_the_link_once(client, finished, settings):
    from django.core import mail

    from motcua.dossiers.models import DossierEvent
    from motcua.feedback import invitations
    from motcua.outbox.consumers import Message

    settings.MOTCUA_NOTIFY_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    dossier = finished()
    dossier.applicant_email = "an@example.org"
    dossier.save(update_fields=["applicant_email"])
    event = DossierEvent.objects.get(dossier=dossier, action="return_result")
    message = Message(
        1, invitations.INVITE_TOPIC, f"feedback.invite:{event.pk}", {"event": event.pk}, 1
    )
    invitations.on_returned(message)
    invitations.on_returned(message)  # delivered twice: sent once
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.org"]
    path = "/y-kien/danh-gia/lien-ket/"
    assert path in mail.outbox[0].body
    token = mail.outbox[0].body.split(path)[1].split("/")[0]
    assert client.post(f"{path}{token}/", {"level": "2"}).status_code == 200
    assert Rating.objects.get().channel == Channel.NOTICE_LINK
