import pytest

from motcua.portal.tests.catalogue_samples import criminal_record_check


@pytest.fixture
def record_check(justice_department):
    return criminal_record_check(justice_department)


# The lifecycle fixtures (six-step inter-agency procedure and its officers).
from motcua.dossiers.tests.conftest import (  # noqa: E402, F401
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
)
