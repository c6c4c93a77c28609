"""A backup taken while a clerk keeps receiving dossiers and attaching scans (another thread,
through the services, one commit per dossier and per scan) restores completely: every
dossier, event and attachment file committed before the backup started is in the restored
installation, and the restored database is sound."""

import hashlib
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.backups import sqlite_files
from motcua.backups.services import restore_backup, take_backup
from motcua.dossiers.attachments import attach_file
from motcua.portal.tests.tracking_samples import receive

from .conftest import PDF, is_sqlite, query, thread_database

WAIT = 60  # seconds, at most, for the writer to get somewhere


class Clerk(threading.Thread):
    """Receives a dossier and attaches a scan to it, again and again, until stopped; notes
    (when, code, file) after each scan is committed."""

    def __init__(self, installation, procedure, agency, clerk):
        super().__init__(daemon=True)
        self.args = installation, procedure, agency, clerk
        self.committed: list[tuple[float, str, str]] = []
        self.stop = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        installation, procedure, agency, clerk = self.args
        try:
            with thread_database(installation):
                while not self.stop.is_set():
                    self._one(procedure, agency, clerk)
        except BaseException as error:  # reported by the test
            self.failure = error

    def _one(self, procedure, agency, clerk) -> None:
        dossier = receive(procedure, agency, clerk)
        content = PDF + f"% scan {len(self.committed)}\n".encode()
        upload = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")
        attachment = attach_file(dossier, actor=clerk, upload=upload, kind="scan")
        self.committed.append((time.monotonic(), dossier.code, attachment.file.name))

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + WAIT
        while len(self.committed) < count and self.failure is None:
            assert time.monotonic() < deadline, "the writer is stuck"
            time.sleep(0.01)
        assert self.failure is None, self.failure


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_a_clerk_writes_restores_everything_committed_before_it(
    live, birth_registration, commune_agency, clerk, backup_root, empty_installation
):
    writer = Clerk(live, birth_registration, commune_agency, clerk)
    writer.start()
    writer.wait_for(10)

    def meanwhile(step: str) -> None:
        if step == "database":  # more commits between the database copy and the file archive
            writer.wait_for(len(writer.committed) + 5)

    started = time.monotonic()
    before = [entry for entry in writer.committed if entry[0] < started]
    try:
        backup = take_backup(live, root=backup_root, keep=3, on_step=meanwhile)
    finally:
        writer.stop.set()
        writer.join(WAIT)
    assert writer.failure is None, writer.failure
    during = [entry for entry in writer.committed if entry[0] >= started]
    assert len(before) >= 10 and len(during) >= 5

    restored = restore_backup(backup.folder, empty_installation)

    manifest = restored.manifest
    assert manifest["media"]["attachment_problems"] == []
    codes = {code for _when, code, _file in before}
    _assert_dossiers_and_events(live, empty_installation, codes)
    _assert_attachment_files(empty_installation, {file for _when, _code, file in before})
    _assert_sound(empty_installation)


def _assert_dossiers_and_events(live, restored, codes: set[str]) -> None:
    statement = (
        "SELECT d.code, count(e.id) FROM dossiers_dossier d "
        "JOIN dossiers_dossierevent e ON e.dossier_id = d.id GROUP BY d.code"
    )
    in_restore = dict(query(restored, statement))
    in_live = dict(query(live, statement))
    assert codes <= set(in_restore)
    assert {code: in_restore[code] for code in codes} == {code: in_live[code] for code in codes}
    assert all(in_restore[code] >= 2 for code in codes)  # received, file attached


def _assert_attachment_files(restored, names: set[str]) -> None:
    rows = query(restored, "SELECT file, sha256 FROM dossiers_attachment")
    digests = dict(rows)
    assert names <= set(digests)
    for name, digest in digests.items():  # every row's file, whole, not only those before
        content = (restored.media_root / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest, name


def _assert_sound(restored) -> None:
    """SQLite: integrity and foreign key checks. PostgreSQL: pg_restore re-created every
    constraint after loading the rows (checking them) in its one transaction."""
    if is_sqlite():
        sqlite_files.check(Path(restored.database["NAME"]))
        return
    constraints = dict(
        query(restored, "SELECT convalidated, count(*) FROM pg_constraint GROUP BY convalidated")
    )
    assert constraints.get(True, 0) > 50 and False not in constraints
