"""The DVCQG deep link (capabilities.md §2.2): /?vnconnect=1&MaTTHCDP=…&MaCoQuanThucHien=…
takes a person, through the DVCQG sign-in when needed, to the online filing of that procedure
with the agency chosen; national, localised and old-form codes are understood; an unknown
procedure is a clear 404; nothing is created on the way."""

from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.filing.models import Draft

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def follow(client, **params):
    query = "&".join(f"{k}={v}" for k, v in {"vnconnect": 1, **params}.items())
    first = client.get(f"/?{query}")
    assert first.status_code == 302 and first["Location"].startswith("/nop-truc-tuyen/vnconnect/")
    return client.get(first["Location"])


def test_a_signed_out_person_goes_through_the_dvcqg_sign_in_to_the_filing(
    client, idp, online_birth, commune_agency
):
    response = follow(client, MaTTHCDP="1.001193.000.00.00.H42", MaCoQuanThucHien="000.01.50.H42")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/tai-khoan/dang-nhap/dvcqg/"
    target = parse_qs(location.query)["next"][0]
    assert target == f"/nop-truc-tuyen/{online_birth.code}/?co_quan={commune_agency.pk}"
    sign_in(client)
    page = client.get(target).content.decode()
    assert f'<option value="{commune_agency.pk}" selected>' in page
    assert not Draft.objects.exists()


def test_a_signed_in_person_goes_straight_to_the_filing(client, idp, online_birth, commune_agency):
    sign_in(client)
    response = follow(client, MaTTHCDP="1.001193", MaCoQuanThucHien="H42.50.01", MaDVC="123")
    assert response["Location"] == f"/nop-truc-tuyen/1.001193/?co_quan={commune_agency.pk}"


def test_an_unknown_procedure_says_so(client, online_birth):
    response = follow(client, MaTTHCDP="9.999999", MaCoQuanThucHien="H42.50.01")
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục" in response.content.decode()


def test_an_agency_that_does_not_carry_it_out_is_not_chosen(
    client, idp, online_birth, centre, other_commune_agency
):
    online_birth.current_version.implementing_agencies.add(other_commune_agency)
    sign_in(client)
    response = follow(client, MaTTHCDP="1.001193", MaCoQuanThucHien=centre.code)
    page = client.get(response["Location"]).content.decode()
    assert "selected" not in page.split('name="agency"')[1].split("</select>")[0]
