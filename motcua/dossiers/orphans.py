"""Files in storage that no attachment row names: written by an upload whose transaction was
rolled back further out than attach_file could see (attachments.attach_file removes the file
itself when its own work fails). Removed once older than a grace period, so that the file of
an upload still in its transaction is never touched."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from .models import Attachment

ROOT = "dossiers"


def orphan_files(*, older_than: timedelta, storage=default_storage) -> list[str]:
    """Names of files under dossiers/<code>/ that no Attachment names and that were last
    written more than `older_than` ago. One query per dossier folder."""
    if not storage.exists(ROOT):
        return []
    cutoff = timezone.now() - older_than
    found = []
    for code in storage.listdir(ROOT)[0]:
        folder = f"{ROOT}/{code}"
        names = {f"{folder}/{name}" for name in storage.listdir(folder)[1]}
        known = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
        found += [n for n in sorted(names - known) if storage.get_modified_time(n) < cutoff]
    return found


def prune_orphan_files(*, older_than: timedelta, dry_run: bool = False) -> list[str]:
    names = orphan_files(older_than=older_than)
    if not dry_run:
        for name in names:
            default_storage.delete(name)
    return names
