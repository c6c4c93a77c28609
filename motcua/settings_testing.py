"""Settings of the test suite: the development defaults (DEBUG on while the settings load, so
the development key and hosts are accepted; pytest-django then runs each test with DEBUG off,
as deployed). Only what the tests need differs from motcua.settings."""

import os

os.environ.setdefault("DEBUG", "true")

from motcua.settings import *  # noqa: E402, F403
