"""The lifecycle fixtures (a six-step inter-agency procedure and its officers)."""

from motcua.dossiers.tests.conftest import (  # noqa: F401
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
    second_specialist,
)
