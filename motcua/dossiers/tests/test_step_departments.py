"""One internal process for every commune that carries out a procedure: a step without an
agency goes to the competent agency, and its department to that agency's department of
the same code (Decree 150/2025 gives every commune the same departments)."""

import time_machine

from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.dossiers.tests.test_intake import CITIZEN, MONDAY_9AM
from motcua.organisations.models import Department


def received(procedure, agency, clerk):
    checklist = procedure.current_version.components.all()
    intake = Intake(
        procedure, agency, CITIZEN, handed_in=[HandedIn(c.pk, originals=1) for c in checklist]
    )
    with time_machine.travel(MONDAY_9AM, tick=False):
        return receive_dossier(intake, actor=clerk)


def departments(dossier) -> list:
    return list(dossier.steps.order_by("order").values_list("department", flat=True))


def test_the_department_is_the_competent_communes_own(
    birth_registration, commune_agency, other_commune_agency, clerk, clerk_of_other_agency
):
    office_here = Department.objects.create(agency=commune_agency, code="VP", name="Văn phòng")
    economy_here = Department.objects.create(agency=commune_agency, code="KT", name="Kinh tế")
    office_there = Department.objects.create(
        agency=other_commune_agency, code="VP", name="Văn phòng"
    )
    steps = birth_registration.current_version.steps
    steps.filter(order=2).update(department=office_here)
    steps.filter(order=3).update(department=economy_here)

    here = received(birth_registration, commune_agency, clerk)
    there = received(birth_registration, other_commune_agency, clerk_of_other_agency)

    assert departments(here) == [None, office_here.pk, economy_here.pk]
    # The other commune has an office but no economic department.
    assert departments(there) == [None, office_there.pk, None]
    assert (here.department_id, there.department_id) == (office_here.pk, office_there.pk)
    assert set(there.steps.values_list("agency", flat=True)) == {other_commune_agency.pk}
