import pytest

from conftest import make_user

# The lifecycle fixtures (a six-step inter-agency procedure and its officers) are shared with
# the service tests.
from motcua.dossiers.tests.conftest import (  # noqa: F401
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
)
from motcua.organisations.roles import Role
from motcua.reports.tests.quality_scenario import People, early, late_after_supplement


# The quality pages' world (test_quality_pages, test_appraisal): two dossiers of March, their
# officers, a supervisor of the province.
@pytest.fixture
def people(centre_clerk, specialist, department_head, commune_specialist, leader):  # noqa: F811
    return People(centre_clerk, specialist, department_head, commune_specialist, leader)


@pytest.fixture
def two_dossiers(receive, people):  # noqa: F811
    return early(receive, people), late_after_supplement(receive, people)


@pytest.fixture
def province_supervisor(provincial_committee):
    """Covers the province: the committee and every agency below it."""
    return make_user("province_supervisor", provincial_committee, Role.SUPERVISOR)
