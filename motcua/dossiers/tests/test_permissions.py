import pytest
import time_machine
from django.http import Http404

from conftest import complete_intake
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.permissions import dossiers_for, get_dossier_for
from motcua.dossiers.tests.test_intake import CITIZEN, MONDAY_9AM


@pytest.fixture
def dossier(birth_registration, commune_agency, clerk):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return receive_dossier(
            complete_intake(birth_registration, commune_agency, CITIZEN),
            actor=clerk,
        )


def test_clerk_sees_the_dossiers_of_their_agency(dossier, clerk):
    assert get_dossier_for(clerk, dossier.code) == dossier


def test_clerk_of_another_agency_gets_404(dossier, clerk_of_other_agency):
    with pytest.raises(Http404):
        get_dossier_for(clerk_of_other_agency, dossier.code)
    assert not dossiers_for(clerk_of_other_agency).exists()


def test_staff_of_an_agency_with_a_step_see_the_dossier(dossier, specialist, justice_department):
    assert not dossiers_for(specialist).exists()
    dossier.steps.filter(order=2).update(agency=justice_department)
    assert get_dossier_for(specialist, dossier.code) == dossier


def test_provincial_supervisor_sees_the_communes_dossiers(dossier, provincial_committee):
    from conftest import make_user
    from motcua.organisations.roles import Role

    supervisor = make_user("prov_supervisor", provincial_committee, Role.SUPERVISOR)
    assert list(dossiers_for(supervisor)) == [dossier]


def test_unknown_code_and_anonymous_user_get_404(dossier):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        get_dossier_for(AnonymousUser(), dossier.code)
