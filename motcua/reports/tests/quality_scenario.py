"""Dossiers of the six-step criminal-record procedure (dossiers/tests/conftest.py) taken to
a result through the services, for the indicator and supervision tests and pages.

Received at the provincial centre, resolved by the Department of Justice, 5 working days:
a dossier received on Monday 9 March 2026 at 09:00 is due on Monday 16 March at 17:00.
"""

from dataclasses import dataclass
from datetime import date, datetime

from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import approve, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready
from motcua.dossiers.supplements import receive_supplement, request_supplement
from motcua.dossiers.tests.conftest import MONDAY, at, reread, vn
from motcua.reports.scope import Period

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


@dataclass
class People:
    centre_clerk: object
    specialist: object
    department_head: object
    commune_specialist: object
    leader: object


def finish(dossier: Dossier, people: People, moments: list[datetime]) -> Dossier:
    """Appraisal, review, verification, signature, result ready: one moment each."""
    appraise, review, verify, sign, ready = moments
    with at(appraise):
        complete_step(dossier, actor=people.specialist)
    with at(review):
        complete_step(dossier, actor=people.department_head)
    with at(verify):
        complete_step(dossier, actor=people.commune_specialist)
    with at(sign):
        approve(dossier, actor=people.leader)
    with at(ready):
        mark_result_ready(dossier, actor=people.centre_clerk)
    return reread(dossier)


def early(receive, people: People) -> Dossier:
    """Everything on Monday: early (2) for total time; the steps end on the day they are
    due except appraisal (due Wednesday), so the units score 1."""
    dossier = receive()
    with at(MONDAY):
        hand_over(dossier, actor=people.centre_clerk)
    moments = [vn(2026, 3, 9, 10), vn(2026, 3, 9, 11), vn(2026, 3, 9, 14), vn(2026, 3, 9, 15)]
    return finish(dossier, people, [*moments, vn(2026, 3, 9, 16)])


def late_after_supplement(receive, people: People) -> Dossier:
    """A supplement asked on Tuesday, handed in on Wednesday (the limit restarts: due
    Wednesday 18 March 17:00); appraisal ends late on Thursday 19 March, the result too."""
    dossier = receive()
    with at(MONDAY):
        hand_over(dossier, actor=people.centre_clerk)
    with at(vn(2026, 3, 10, 9)):
        request_supplement(dossier, actor=people.specialist, reason="Thiếu bản sao", items=["CCCD"])
    with at(vn(2026, 3, 11, 9)):
        receive_supplement(dossier, actor=people.centre_clerk)
    days = [vn(2026, 3, 19, hour) for hour in (9, 10, 11, 14, 15)]
    return finish(dossier, people, days)
