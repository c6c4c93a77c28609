"""The public tracking page shows what a dossier owes and whether it is paid (amount and state
only), to whoever unlocks its details with the last digits of the phone or number; the code
alone shows nothing of it."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_tracking_details_show_the_fee_and_its_state(client, owed):
    alone = client.post("/tra-cuu/", {"ma": owed.code}).content.decode()
    assert "205.000 đ" not in alone
    page = client.post("/tra-cuu/", {"ma": owed.code, "secret": "1234"}).content.decode()
    assert "205.000 đ · Chưa nộp" in page
