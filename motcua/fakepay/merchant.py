"""The one merchant the fake platform knows: motcua in development (the real platform gives
each agency's system its code, secret and token)."""

MERCHANT = "MOTCUA-DEMO"
SECRET = "fake-platform-shared-secret"
TOKEN = "fake-platform-token"
