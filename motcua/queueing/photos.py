"""Staff photos on the rating tablet: an upload is checked by what it contains (Pillow must
read it as JPEG, PNG or WebP, within a size), turned upright (EXIF orientation), cropped to
a square around its centre, resized to SIZE and saved as a JPEG, which drops every metadata
(place, camera). Setting the same picture again changes nothing; each change is audited."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from motcua.audit.services import record_event

from .models import StaffPhoto

SIZE = 320  # pixels, square: the tablet shows it at 160 px (sharp on 2x screens)
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}


def normalise(data: bytes) -> bytes:
    """The uploaded picture as the tablet's JPEG, or ValidationError saying why not."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The photo is too large (at most 8 MB)."))
    try:
        opened = Image.open(io.BytesIO(data))
        if opened.format not in FORMATS:
            raise ValidationError(_("The file is not a JPEG, PNG or WebP picture."))
        if opened.width * opened.height > MAX_PIXELS:
            raise ValidationError(_("The photo has too many pixels (at most 40 million)."))
        opened.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ValidationError(_("The file is not a JPEG, PNG or WebP picture.")) from exc
    image: Image.Image = ImageOps.exif_transpose(opened)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    square = ImageOps.fit(image.convert("RGB"), (SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def initials(user) -> str:
    """'Nguyễn Thị Lan' → 'NL' (family name and given name); a user name → its first letter."""
    words = (user.get_full_name() or "").split()
    if not words:
        return (user.get_username()[:1] or "?").upper()
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[-1][:1]).upper()


@transaction.atomic
def set_photo(user, data: bytes, *, actor) -> StaffPhoto:
    """Normalise and keep `data` as `user`'s photo; the same picture again changes nothing."""
    jpeg = normalise(data)
    digest = hashlib.sha256(jpeg).hexdigest()
    photo = StaffPhoto.objects.select_for_update().filter(user=user).first()
    if photo is not None and photo.digest == digest:
        return photo
    action = "staff_photo.changed" if photo else "staff_photo.set"
    photo = photo or StaffPhoto(user=user)
    photo.image, photo.digest, photo.updated_at = jpeg, digest, timezone.now()
    photo.save()
    record_event(action, photo, actor=actor, user=user.pk)
    return photo


@transaction.atomic
def remove_photo(user, *, actor) -> bool:
    photo = StaffPhoto.objects.select_for_update().filter(user=user).first()
    if photo is None:
        return False
    record_event("staff_photo.removed", photo, actor=actor, user=user.pk)
    photo.delete()
    return True
