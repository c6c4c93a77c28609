"""A throwaway database for one benchmark: Django's test database, on SQLite as a file in a
temporary folder of its own (WAL, as deployed, rather than the in-memory test default), on
PostgreSQL on the server of DATABASE_URL; destroyed afterwards. Every benchmark that needs a
database in this process takes one here, so that none sees what another left: `make bench`
runs them one after the other in one process."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """Yields what the figures were measured on, for the report's heading."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        test_settings = connection.settings_dict.setdefault("TEST", {})
        previous_name = test_settings.get("NAME")
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(folder) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            yield "SQLite file (WAL)" if connection.vendor == "sqlite" else connection.vendor
        finally:
            try:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            except FileNotFoundError:  # the folder goes anyway; never hide the bench's error
                connection.settings_dict["NAME"] = old_name
            test_settings["NAME"] = previous_name
