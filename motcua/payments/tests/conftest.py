"""The lifecycle's world (dossiers/tests/conftest.py: a criminal-record procedure received at
the provincial centre) with fees: a charge of 200.000 đ at receipt, a copy fee per copy, a
receipt series for the centre."""

import pytest

from motcua.accounts.tests.conftest import idp, sign_in  # noqa: F401
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.tests.conftest import (  # noqa: F401
    MONDAY,
    at,
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
    second_specialist,
)
from motcua.payments.models import FeeExemption, FeeItem, FeeKind, ReceiptSeries


@pytest.fixture
def fee_items(criminal_record):  # noqa: F811
    version = criminal_record.current_version
    charge = FeeItem.objects.create(
        version=version,
        order=1,
        name="Lệ phí cấp Phiếu lý lịch tư pháp",
        kind=FeeKind.CHARGE,
        amount=200_000,
        legal_basis="Thông tư 244/2016/TT-BTC",
        bank_bin="970436",
        bank_account="1017595600",
        account_name="SO TU PHAP HA TINH",
    )
    FeeExemption.objects.create(
        item=charge,
        description="Người có công với cách mạng",
        legal_basis="Thông tư 244/2016/TT-BTC điều 5",
    )
    copies = FeeItem.objects.create(
        version=version,
        order=2,
        name="Phí cấp thêm Phiếu",
        kind=FeeKind.FEE,
        amount=5_000,
        rule=FeeItem.Rule.PER_COPY,
        legal_basis="Thông tư 244/2016/TT-BTC",
    )
    return charge, copies


@pytest.fixture
def series(centre):
    return ReceiptSeries.objects.create(
        agency=centre,
        template_symbol="01BLP0-001",
        series_symbol="HT-26E",
        collector_name="Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
        collector_tax_code="3000123456",
        collector_address="Thành phố Hà Tĩnh",
    )


AN = Applicant("citizen", "Nguyễn Văn An", "042090001234", "0912345678")  # the fake IdP's


@pytest.fixture
def platform(settings, idp):  # noqa: F811
    """The fake national payment platform served by the project, reached over "HTTP" in
    process (accounts' adapter, mounted at MOTCUA_PUBLIC_URL): INIT, QUERY and GET_BILL from
    the payments to the fake, and the fake's callbacks back to the payments, all through
    Django's test client. `platform.flaky[path] = error` makes a path fail as a network would."""
    settings.MOTCUA_FAKE_PAYMENTS = True
    settings.MOTCUA_PAYMENT_PLATFORM_URL = ""
    return idp


@pytest.fixture
def owed(receive, fee_items, series):  # noqa: F811
    """A dossier of the fake provider's Nguyễn Văn An received at the centre: 205.000 đ due."""
    return receive(applicant=AN)


@pytest.fixture
def citizen(client, idp):  # noqa: F811
    """The browser of Nguyễn Văn An, signed in through the fake national provider."""
    response = sign_in(client)
    assert response.status_code == 302, response
    return client
