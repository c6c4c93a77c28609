"""The board: its page, the feed it polls (204 when nothing is new, the calls after the last
event seen, in order, none repeated), the spoken call synthesised once and kept."""

import shutil
import sys

import pytest
from django.urls import reverse

from motcua.queueing import calling, speech, tickets
from motcua.queueing.models import SpeechClip, TicketEvent

# A synthesiser that reads the text and writes a (fake) WAV, as an operator's command would.
FAKE_SYNTH = (
    f"{sys.executable} -c "
    "\"import sys; sys.stdin.read(); sys.stdout.buffer.write(b'RIFF0000WAVEfake')\""
)


def feed(client, point, after=None):
    params = {} if after is None else {"after": after}
    return client.get(reverse("queueing-public:board-feed", args=[point.slug]), params)


def test_the_board_page(client, at_nine, on_duty, clerk, intake_service):
    tickets.issue_ticket(tickets.Request(service=intake_service))
    calling.call_next(on_duty, actor=clerk)
    response = client.get(reverse("queueing-public:board", args=[on_duty.point.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "A001" in page and "<script>" not in page and "board.js" in page


def test_nothing_new_is_a_204(client, at_nine, on_duty, intake_service):
    tickets.issue_ticket(tickets.Request(service=intake_service))
    last = TicketEvent.objects.latest("id").pk
    assert feed(client, on_duty.point, last).status_code == 204


def test_a_board_that_comes_back_gets_each_call_once_in_order(
    client, at_nine, on_duty, counter_two, clerk, second_clerk, intake_service
):
    calling.take_duty(counter_two, actor=second_clerk)
    for _ in range(3):
        tickets.issue_ticket(tickets.Request(service=intake_service))
    seen = feed(client, on_duty.point).json()["last"]  # the board's first look: no calls
    calling.call_next(on_duty, actor=clerk)
    calling.call_next(counter_two, actor=second_clerk)
    first = TicketEvent.objects.filter(action="called").earliest("id")
    calling.recall(on_duty, first.ticket_id, actor=clerk)
    data = feed(client, on_duty.point, seen).json()  # the board was away for these
    assert [(c["code"], c["counter"]) for c in data["calls"]] == [
        ("A001", 1),
        ("A002", 2),
        ("A001", 1),
    ]
    assert feed(client, on_duty.point, data["last"]).status_code == 204
    assert [c["ticket"] for c in data["state"]["counters"]] == ["A001", "A002"]
    assert data["state"]["waiting"] == [{"prefix": "A", "name": "Hộ tịch", "count": 1}]


def test_a_bad_after_is_a_fresh_look(client, at_nine, point):
    assert feed(client, point, "abc").status_code == 200
    assert client.get(reverse("queueing-public:board-feed", args=["nowhere"])).status_code == 404


def test_the_call_is_spoken_once_and_kept(
    client, settings, at_nine, on_duty, clerk, intake_service
):
    settings.MOTCUA_SPEECH_COMMAND = FAKE_SYNTH
    tickets.issue_ticket(tickets.Request(service=intake_service))
    calling.call_next(on_duty, actor=clerk)
    event = TicketEvent.objects.get(action="called")
    url = reverse("queueing-public:board-audio", args=[on_duty.point.slug, event.pk])
    first, second = client.get(url), client.get(url)
    assert first["Content-Type"] == "audio/wav" and first.content == b"RIFF0000WAVEfake"
    assert second.content == first.content
    clip = SpeechClip.objects.get()
    assert clip.text == "Mời công dân có số thứ tự A 1 đến quầy số 1"


def test_no_synthesiser_no_sound(
    client, settings, monkeypatch, at_nine, on_duty, clerk, intake_service
):
    settings.MOTCUA_SPEECH_COMMAND = ""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    tickets.issue_ticket(tickets.Request(service=intake_service))
    calling.call_next(on_duty, actor=clerk)
    event = TicketEvent.objects.get(action="called")
    url = reverse("queueing-public:board-audio", args=[on_duty.point.slug, event.pk])
    assert client.get(url).status_code == 404
    issued = TicketEvent.objects.get(action="issued")
    assert (
        client.get(
            reverse("queueing-public:board-audio", args=[on_duty.point.slug, issued.pk])
        ).status_code
        == 404
    )


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_speaks_vietnamese(db, settings):
    settings.MOTCUA_SPEECH_COMMAND = ""
    audio = speech.synthesise(speech.call_text("A012", 5), "vi")
    assert audio is not None and audio.startswith(b"RIFF") and len(audio) > 20_000


def test_the_words_of_a_call():
    assert speech.call_text("B007", 3) == "Mời công dân có số thứ tự B 7 đến quầy số 3"


def test_nothing_new_costs_two_reads_and_a_full_answer_a_few(
    client,
    django_assert_num_queries,
    django_assert_max_num_queries,
    at_nine,
    on_duty,
    counter_two,
    clerk,
    intake_service,
):
    for _ in range(5):
        tickets.issue_ticket(tickets.Request(service=intake_service))
    calling.call_next(on_duty, actor=clerk)
    last = TicketEvent.objects.latest("id").pk
    point = on_duty.point
    with django_assert_num_queries(2):  # the point, the last event id
        assert feed(client, point, last).status_code == 204
    with django_assert_max_num_queries(8):  # the same however many counters, tickets and calls
        assert feed(client, point, 0).status_code == 200
