import pytest

from .catalogue_samples import criminal_record_check


@pytest.fixture
def record_check(justice_department):
    return criminal_record_check(justice_department)
