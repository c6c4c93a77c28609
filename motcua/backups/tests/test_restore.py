"""manage.py restore: into an empty installation only (unless forced), after verifying the
backup; the database and the files come back whole; a damaged or unsuitable backup is refused
before anything changes."""

import io
import json
import sqlite3
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from motcua.backups.errors import BackupError
from motcua.backups.manifest import sha256_of
from motcua.backups.services import restore_backup, take_backup
from motcua.dossiers.attachments import attach_file
from motcua.portal.tests.tracking_samples import receive

from .conftest import PDF, is_sqlite, query

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup(live, birth_registration, commune_agency, clerk, backup_root):
    dossier = receive(birth_registration, commune_agency, clerk)
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    attachment = attach_file(dossier, actor=clerk, upload=upload, kind="scan")
    return take_backup(live, root=backup_root), dossier, attachment


def _counts(installation) -> dict[str, int]:
    return installation.engine.target_contents(installation.database).counts


def _untouched(installation) -> bool:
    return not installation.media_root.exists() and _counts(installation) == {
        "dossiers": 0,
        "events": 0,
        "attachments": 0,
        "users": 0,
    }


def _edit_manifest(folder: Path, **changes) -> None:
    path = folder / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def test_a_backup_restores_into_an_empty_installation(backup, empty_installation):
    made, dossier, attachment = backup

    restored = restore_backup(made.folder, empty_installation)

    assert _counts(empty_installation) == made.manifest["counts"] == restored.manifest["counts"]
    rows = query(empty_installation, "SELECT code, applicant_name FROM dossiers_dossier")
    assert rows == [(dossier.code, dossier.applicant_name)]
    assert (empty_installation.media_root / attachment.file.name).read_bytes() == PDF
    assert restored.kept is None


def test_a_restored_installation_backs_up_and_restores_again(backup, new_installation, backup_root):
    first, second = new_installation(), new_installation()
    restore_backup(backup[0].folder, first)

    again = take_backup(first, root=backup_root / "again")
    restore_backup(again.folder, second)

    assert _counts(second) == backup[0].manifest["counts"]


def test_an_installation_with_users_or_dossiers_is_refused(backup, live):
    made, _dossier, _attachment = backup
    before = _counts(live)

    with pytest.raises(CommandError, match="đã có 1 hồ sơ và 1 tài khoản"):
        call_command("restore", made.folder)

    assert _counts(live) == before


def test_force_restores_over_an_installation_and_sqlite_keeps_the_file_it_replaced(
    backup, empty_installation
):
    made = backup[0]
    restore_backup(made.folder, empty_installation)

    with pytest.raises(BackupError) as refused:
        restore_backup(made.folder, empty_installation)
    assert refused.value.code == "not_empty"
    restored = restore_backup(made.folder, empty_installation, force=True)

    assert _counts(empty_installation) == made.manifest["counts"]
    if is_sqlite():
        assert restored.kept.name.startswith("restored1.sqlite3.before-restore-")
        assert sha256_of(restored.kept) == sha256_of(Path(empty_installation.database["NAME"]))


@pytest.mark.parametrize("damaged", ["database", "media.tar"])
def test_a_damaged_backup_is_refused_before_anything_changes(backup, empty_installation, damaged):
    folder = backup[0].folder
    name = empty_installation.engine.FILE if damaged == "database" else damaged
    content = bytearray((folder / name).read_bytes())
    content[len(content) // 2] ^= 0xFF
    (folder / name).write_bytes(bytes(content))

    with pytest.raises(BackupError, match=name) as refused:
        restore_backup(folder, empty_installation)
    assert refused.value.code == "checksum_mismatch"
    assert _untouched(empty_installation)


def test_an_unfinished_backup_is_refused(live, empty_installation, backup_root):
    partial = backup_root / "motcua-20260301T193000Z.partial"
    partial.mkdir(parents=True)

    with pytest.raises(CommandError, match="không có tệp manifest.json"):
        call_command("restore", partial)


def test_a_backup_of_the_other_database_engine_is_refused(backup, empty_installation):
    folder = backup[0].folder
    _edit_manifest(folder, engine="postgresql" if is_sqlite() else "sqlite")

    with pytest.raises(BackupError) as refused:
        restore_backup(folder, empty_installation)
    assert refused.value.code == "engine_mismatch"
    assert _untouched(empty_installation)


def test_a_backup_from_a_newer_version_needs_force(backup, empty_installation):
    folder = backup[0].folder
    migrations = [*backup[0].manifest["migrations"], "dossiers.9999_from_the_future"]
    _edit_manifest(folder, migrations=migrations)

    with pytest.raises(BackupError, match="dossiers.9999_from_the_future") as refused:
        restore_backup(folder, empty_installation)
    assert refused.value.code == "newer_backup"
    assert _untouched(empty_installation)
    restore_backup(folder, empty_installation, force=True)


def test_archive_members_outside_the_media_folder_are_refused(backup, empty_installation, tmp_path):
    folder = backup[0].folder
    with tarfile.open(folder / "media.tar", "w") as archive:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    files = backup[0].manifest["files"]
    files["media.tar"] = {
        "sha256": sha256_of(folder / "media.tar"),
        "bytes": (folder / "media.tar").stat().st_size,
    }
    _edit_manifest(folder, files=files)

    with pytest.raises(BackupError) as refused:
        restore_backup(folder, empty_installation)
    assert refused.value.code == "media_restore_failed"
    assert not (empty_installation.media_root.parent / "escaped.txt").exists()


def test_check_verifies_a_backup_and_changes_nothing(backup, live):
    out = StringIO()
    before = _counts(live)

    call_command("restore", backup[0].folder, check=True, stdout=out)

    assert "đầy đủ và nguyên vẹn: 1 hồ sơ" in out.getvalue()
    assert _counts(live) == before


def test_sqlite_is_not_replaced_while_another_process_has_it_open(backup, empty_installation):
    if not is_sqlite():
        pytest.skip("SQLite only: PostgreSQL restores through its server")
    restore_backup(backup[0].folder, empty_installation)
    server = sqlite3.connect(empty_installation.database["NAME"])  # the web server, say
    server.execute("PRAGMA journal_mode = WAL")
    server.execute("CREATE TABLE still_running (x)")
    try:
        with pytest.raises(BackupError) as refused:
            restore_backup(backup[0].folder, empty_installation, force=True)
        assert refused.value.code == "database_in_use"
    finally:
        server.close()
