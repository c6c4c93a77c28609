# The lifecycle fixtures (a six-step inter-agency procedure and its officers) are shared with
# the service tests.
from motcua.dossiers.tests.conftest import (  # noqa: F401
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
)
