"""Staff photos on the rating tablet: set by the staff member or an administrator of their
agency, checked by content, made a small square JPEG without metadata, audited; the tablet
shows the photo of the officer it rates (initials without one) and serves no other; no
public page lists them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import PASSWORD, make_user
from motcua.audit.models import AuditEvent
from motcua.organisations.roles import Role
from motcua.queueing import calling, photos
from motcua.queueing.models import StaffPhoto


def picture(fmt="PNG", size=(800, 600), colour=(200, 40, 40), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    if exif is not None:
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes, name="me.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def logged_clerk(client, clerk):
    client.login(username=clerk.username, password=PASSWORD)
    return clerk


def test_a_staff_member_sets_their_photo(client, logged_clerk):
    url = reverse("queueing:my-photo")
    page = client.get(url)
    assert page.status_code == 200
    assert 'class="staff-initials"' in page.content.decode()
    response = client.post(url, {"photo": upload(picture())})
    assert response.status_code == 302
    photo = StaffPhoto.objects.get(user=logged_clerk)
    image = Image.open(io.BytesIO(bytes(photo.image)))
    assert (image.format, image.size) == ("JPEG", (photos.SIZE, photos.SIZE))
    assert AuditEvent.objects.filter(action="staff_photo.set", actor=logged_clerk).count() == 1
    client.post(url, {"photo": upload(picture())})  # the same picture sent again
    assert AuditEvent.objects.filter(action__startswith="staff_photo.").count() == 1
    served = client.get(reverse("queueing:staff-photo", args=[logged_clerk.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert served.content == bytes(photo.image)
    assert "private" in served["Cache-Control"]


def test_a_file_that_is_not_a_picture_is_refused(client, logged_clerk):
    fake = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    response = client.post(reverse("queueing:my-photo"), {"photo": upload(fake, "me.jpg")})
    assert response.status_code == 400
    assert "không phải ảnh JPEG, PNG hoặc WebP" in response.content.decode()
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    response = client.post(reverse("queueing:my-photo"), {"photo": upload(gif.getvalue())})
    assert response.status_code == 400
    assert not StaffPhoto.objects.exists()
    assert client.post(reverse("queueing:my-photo"), {}).status_code == 400  # nothing chosen


def test_metadata_is_dropped_and_the_photo_turned_upright(logged_clerk):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turned 90° (a phone held upright)
    exif[0x010F] = "Camera maker"
    data = picture("JPEG", size=(600, 300), exif=exif.tobytes())
    jpeg = photos.normalise(data)
    image = Image.open(io.BytesIO(jpeg))
    assert not image.getexif()
    assert image.size == (photos.SIZE, photos.SIZE)


def test_removing_the_photo_brings_the_initials_back(client, logged_clerk, on_duty):
    photos.set_photo(logged_clerk, picture(), actor=logged_clerk)
    assert client.post(reverse("queueing:my-photo"), {"remove": "1"}).status_code == 302
    assert not StaffPhoto.objects.exists()
    assert AuditEvent.objects.filter(action="staff_photo.removed").count() == 1
    client.post(reverse("queueing:my-photo"), {"remove": "1"})  # twice: nothing more
    assert AuditEvent.objects.filter(action="staff_photo.removed").count() == 1


def test_the_tablet_shows_the_officers_photo_or_initials(client, at_nine, clerk, on_duty):
    clerk.first_name, clerk.last_name = "Nguyễn Thị", "Lan"  # family first (demo convention)
    clerk.save()
    tablet = reverse("queueing-public:tablet", args=[on_duty.code])
    photo_url = reverse("queueing-public:tablet-photo", args=[on_duty.code])
    page = client.get(tablet).content.decode()
    assert 'class="tablet-initials"' in page and ">NL<" in page
    assert client.get(photo_url).status_code == 404
    photos.set_photo(clerk, picture(), actor=clerk)
    page = client.get(tablet).content.decode()
    assert f'src="{photo_url}?v=' in page and "tablet-initials" not in page
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    calling.leave_duty(on_duty, actor=clerk)
    assert client.get(photo_url).status_code == 404  # nobody at the counter: nobody's photo


def test_photos_are_not_public(client, at_nine, clerk, commune_agency, other_agency_admin):
    photos.set_photo(clerk, picture(), actor=clerk)
    url = reverse("queueing:staff-photo", args=[clerk.pk])
    assert client.get(url).status_code == 302  # to the sign-in
    stranger = make_user("stranger", commune_agency, Role.RECEIVING_CLERK)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(other_agency_admin)
    assert client.get(url).status_code == 404
    citizen = make_user("citizen-1")
    client.force_login(citizen)
    assert client.get(reverse("queueing:my-photo")).status_code == 404


def test_the_administrator_sets_a_staff_members_photo(
    client, clerk, agency_admin, other_agency_admin
):
    client.login(username=agency_admin.username, password=PASSWORD)
    add = reverse("admin:queueing_staffphoto_add")
    assert client.get(add).status_code == 200
    refused = client.post(add, {"user": clerk.pk, "upload": upload(b"not a picture")})
    assert refused.status_code == 200
    assert not StaffPhoto.objects.exists()
    assert client.post(add, {"user": clerk.pk, "upload": upload(picture())}).status_code == 302
    photo = StaffPhoto.objects.get(user=clerk)
    assert AuditEvent.objects.filter(action="staff_photo.set", actor=agency_admin).exists()
    change = reverse("admin:queueing_staffphoto_change", args=[photo.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("queueing:staff-photo", args=[clerk.pk])).status_code == 200
    client.force_login(other_agency_admin)
    listing = client.get(reverse("admin:queueing_staffphoto_changelist")).content.decode()
    assert clerk.username not in listing
    assert client.get(change).status_code in (302, 403, 404)
