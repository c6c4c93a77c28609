from motcua.dossiers.tests.conftest import (  # noqa: F401
    MONDAY,
    at,
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
)
from motcua.signing.tests.conftest import _pki_settings, demo_pki  # noqa: F401
