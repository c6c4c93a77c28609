import pytest

from motcua.filing.tests.conftest import online_birth  # noqa: F401 - fixture reused

from .catalogue_samples import criminal_record_check


@pytest.fixture
def record_check(justice_department):
    return criminal_record_check(justice_department)
