"""Settings of the test suite: the development defaults (DEBUG on while the settings load, so
the development key and hosts are accepted; pytest-django then runs each test with DEBUG off,
as deployed). Only what the tests need differs from motcua.settings."""

import os
import tempfile

os.environ.setdefault("DEBUG", "true")

from motcua.settings import *  # noqa: E402, F403

# The demo's PKI (seed_demo_signing) in a folder of this test process, never the repository's
# var/signing; its keys as PKCS#12 files: SoftHSM2 reads one configuration per process, the
# signing tests' own token's.
MOTCUA_DEMO_PKI = tempfile.mkdtemp(prefix="motcua-test-pki-")
MOTCUA_DEMO_SOFTHSM = False
