"""manage.py backup: one folder per backup with the database, the files and a manifest;
checked, private, published only when complete, rotated; clear failures."""

import json
import os
import stat
import subprocess
import sys
import tarfile
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from motcua.backups import folders, media, postgres_dumps
from motcua.backups.errors import BackupError
from motcua.backups.manifest import sha256_of
from motcua.backups.services import take_backup
from motcua.dossiers.attachments import attach_file
from motcua.dossiers.models import DossierEvent
from motcua.portal.tests.tracking_samples import receive

from .conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scanned(live, birth_registration, commune_agency, clerk):
    dossier = receive(birth_registration, commune_agency, clerk)
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    return attach_file(dossier, actor=clerk, upload=upload, kind="scan")


def test_a_backup_is_one_folder_with_the_database_the_files_and_a_manifest(
    live, scanned, backup_root
):
    backup = take_backup(live, root=backup_root)

    folder = backup.folder
    assert folder.parent == backup_root and folders.NAME.match(folder.name)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == backup.manifest
    assert manifest["format"] == "motcua-backup" and manifest["version"] == 1
    assert manifest["engine"] == live.engine.NAME
    assert manifest["counts"] == {
        "dossiers": 1,
        "events": DossierEvent.objects.count(),
        "attachments": 1,
        "users": get_user_model().objects.count(),
    }
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["media"] == {"files": 1, "bytes": len(PDF), "attachment_problems": []}
    assert "dossiers.0001_initial" in manifest["migrations"]
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [live.engine.FILE, "manifest.json", "media.tar"]
    )
    for name, entry in manifest["files"].items():
        assert sha256_of(folder / name) == entry["sha256"]
        assert (folder / name).stat().st_size == entry["bytes"]
    with tarfile.open(folder / "media.tar") as archive:
        assert archive.getnames() == [scanned.file.name]


def test_the_backup_is_readable_by_the_service_user_only(live, backup_root):
    folder = take_backup(live, root=backup_root).folder

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()} == {0o600}


def test_only_the_newest_backups_are_kept_and_nothing_else_is_touched(live, backup_root):
    backup_root.mkdir()
    (backup_root / "notes.txt").write_text("off-site copy on Fridays")
    (backup_root / "motcua-by-hand").mkdir()

    made = [take_backup(live, root=backup_root, keep=2) for _ in range(3)]

    assert folders.complete_backups(backup_root) == [made[1].folder, made[2].folder]
    assert made[2].removed == [made[0].folder]
    assert (backup_root / "notes.txt").exists() and (backup_root / "motcua-by-hand").exists()


def test_a_failed_backup_leaves_no_folder_that_looks_complete(live, backup_root, monkeypatch):
    first = take_backup(live, root=backup_root)

    def disk_full(*args, **kwargs):
        raise BackupError("media_backup_failed", "No space left on device")

    monkeypatch.setattr(media, "write_archive", disk_full)
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", dest=backup_root, keep=1)

    assert sorted(path.name for path in backup_root.iterdir()) == [".lock", first.folder.name]


def test_the_remains_of_an_interrupted_backup_are_removed(live, backup_root):
    stale = backup_root / "motcua-20260301T193000Z.partial"
    stale.mkdir(parents=True)
    (stale / "database.sqlite3").write_bytes(b"half")

    backup = take_backup(live, root=backup_root)

    assert not stale.exists() and folders.complete_backups(backup_root) == [backup.folder]


def test_a_second_backup_is_refused_while_one_is_running(live, backup_root):
    backup_root.mkdir()
    with folders.locked(backup_root), pytest.raises(BackupError) as refused:
        take_backup(live, root=backup_root)
    assert refused.value.code == "backup_running"
    assert folders.complete_backups(backup_root) == []


def test_the_folder_and_the_number_kept_come_from_the_environment(live, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_BACKUP_DIR", str(tmp_path / "nightly"))
    monkeypatch.setenv("MOTCUA_BACKUP_KEEP", "1")
    out = StringIO()

    call_command("backup", stdout=out)
    call_command("backup", stdout=out)

    assert len(folders.complete_backups(tmp_path / "nightly")) == 1
    assert "Đã ghi bản sao lưu vào" in out.getvalue()  # Vietnamese, the default language
    assert "Đã xóa bản sao lưu cũ" in out.getvalue()


@pytest.mark.parametrize("keep", [0, -3])
def test_at_least_one_backup_must_be_kept(live, backup_root, keep):
    with pytest.raises(CommandError, match="Phải giữ lại ít nhất một bản sao lưu"):
        call_command("backup", dest=backup_root, keep=keep)


def test_a_missing_attachment_file_is_named_in_the_manifest(live, scanned, backup_root):
    (live.media_root / scanned.file.name).unlink()
    err = StringIO()

    call_command("backup", dest=backup_root, stdout=StringIO(), stderr=err)

    (folder,) = folders.complete_backups(backup_root)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["media"]["attachment_problems"] == [scanned.file.name]
    assert "1 tệp đính kèm bị thiếu hoặc không đầy đủ" in err.getvalue()


def test_the_command_exits_non_zero_with_a_clear_message(tmp_path):
    """Run as cron or systemd runs it: a separate process, a missing database."""
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
    }
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(
        [sys.executable, manage, "backup", "--dest", str(tmp_path / "backups")],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "db.sqlite3 không tồn tại" in done.stderr and "Traceback" not in done.stderr
    assert folders.complete_backups(tmp_path / "backups") == []


def test_postgresql_passwords_reach_the_tools_by_environment_only(tmp_path, monkeypatch):
    spec = {
        "NAME": "motcua",
        "USER": "motcua",
        "PASSWORD": "s3cret pass",
        "HOST": "",
        "PORT": "5433",
        "OPTIONS": {"host": "/run/postgresql", "sslmode": "require", "pool": {"max_size": 4}},
    }
    calls = []
    monkeypatch.setattr(postgres_dumps, "_clear", lambda spec: None)
    monkeypatch.setattr(postgres_dumps, "find_tool", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(
        postgres_dumps.subprocess,
        "run",
        lambda command, env, **kw: (
            calls.append((command, env)) or subprocess.CompletedProcess(command, 0, "", "")
        ),
    )

    postgres_dumps.restore(spec, tmp_path / "database.pgdump")

    ((command, env),) = calls
    assert not any("s3cret" in part or "5433" in part for part in command)
    assert env["PGPASSWORD"] == "s3cret pass" and env["PGHOST"] == "/run/postgresql"
    assert env["PGPORT"] == "5433" and env["PGSSLMODE"] == "require"
    assert env["PGDATABASE"] == "motcua" and "pool" not in str(env)


def test_a_missing_pg_dump_is_named(monkeypatch):
    monkeypatch.setattr(postgres_dumps.shutil, "which", lambda name: None)
    monkeypatch.setattr(postgres_dumps.glob, "glob", lambda pattern: [])
    with pytest.raises(BackupError, match="pg_dump") as missing:
        postgres_dumps.find_tool("pg_dump")
    assert missing.value.code == "tool_missing"
