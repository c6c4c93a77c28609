"""No file outlives a rolled-back upload: attach_file removes it when its own work fails,
and prune_orphan_files removes what a rollback further out left (issue 11 §2)."""

import os
import time
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from motcua.dossiers import attachments
from motcua.dossiers.attachments import attach_file
from motcua.dossiers.models import Attachment
from motcua.portal.tests.tracking_samples import MONDAY_9AM, receive
from motcua.testing.files import blank_pdf

PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(birth_registration, commune_agency, clerk):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return receive(birth_registration, commune_agency, clerk)


def pdf(content=PDF):
    return SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")


def files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_failure_after_the_file_is_written_removes_it(dossier, clerk, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the event could not be written")

    monkeypatch.setattr(attachments, "record", broken)
    with pytest.raises(RuntimeError):
        attach_file(dossier, actor=clerk, upload=pdf(), kind="scan")
    assert not Attachment.objects.exists()
    assert files(tmp_path) == []


def test_a_rollback_further_out_leaves_an_orphan_that_the_prune_removes(dossier, clerk, tmp_path):
    kept = attach_file(dossier, actor=clerk, upload=pdf(), kind="scan")
    with pytest.raises(RuntimeError), transaction.atomic():
        attach_file(dossier, actor=clerk, upload=pdf(PDF + b"%2"), kind="scan")
        raise RuntimeError("the caller failed after the upload")
    assert Attachment.objects.get() == kept
    assert len(files(tmp_path)) == 2

    out = StringIO()
    call_command("prune_orphan_files", "--older-than-minutes", "60", stdout=out)
    assert "0 orphan" in out.getvalue()  # too young: it may still be committing
    old = time.time() - 2 * 3600
    for path in files(tmp_path):
        os.utime(path, (old, old))
    call_command("prune_orphan_files", "--dry-run", stdout=out)
    assert len(files(tmp_path)) == 2
    call_command("prune_orphan_files", stdout=StringIO())
    assert [p.name for p in files(tmp_path)] == [os.path.basename(kept.file.name)]
    assert kept.file.storage.exists(kept.file.name)
