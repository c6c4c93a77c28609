"""What a database holds, read with a plain DB-API cursor (sqlite3 or psycopg) in the same
snapshot as the copy: the counts the manifest gives, the migrations applied (to refuse
restoring into code that does not know them) and the attachment files the rows point at
(to check that the media archive has each of them, whole)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models

from motcua.dossiers.models import Attachment, Dossier, DossierEvent

MIGRATIONS_TABLE = "django_migrations"


def counted() -> dict[str, type[models.Model]]:
    return {
        "dossiers": Dossier,
        "events": DossierEvent,
        "attachments": Attachment,
        "users": get_user_model(),
    }


@dataclass
class Contents:
    counts: dict[str, int]
    migrations: list[str] = field(default_factory=list)
    # attachment file name (relative to MEDIA_ROOT) -> size in bytes
    attachment_files: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """No dossier and no user: nothing a restore could overwrite."""
        return not self.counts.get("dossiers") and not self.counts.get("users")


def nothing() -> Contents:
    """An installation without a database yet."""
    return Contents(dict.fromkeys(counted(), 0))


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def _column(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).column


def read_counts(cursor, tables: set[str]) -> dict[str, int]:
    """Rows per counted model; 0 for a table that does not exist (not migrated)."""
    counts = {}
    for key, model in counted().items():
        if _table(model) in tables:
            cursor.execute(f'SELECT count(*) FROM "{_table(model)}"')
            counts[key] = cursor.fetchone()[0]
        else:
            counts[key] = 0
    return counts


def read_contents(cursor, tables: set[str]) -> Contents:
    contents = Contents(read_counts(cursor, tables))
    if MIGRATIONS_TABLE in tables:
        cursor.execute(f'SELECT app, name FROM "{MIGRATIONS_TABLE}" ORDER BY app, name')
        contents.migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    if _table(Attachment) in tables:
        file, size = _column(Attachment, "file"), _column(Attachment, "size")
        cursor.execute(f'SELECT "{file}", "{size}" FROM "{_table(Attachment)}"')
        contents.attachment_files = dict(cursor.fetchall())
    return contents
