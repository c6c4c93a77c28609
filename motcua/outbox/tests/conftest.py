import pytest

from motcua.outbox import consumers


@pytest.fixture
def topic():
    """A topic of the test's own, with a consumer that records what it receives and fails
    while `failures` says so; unregistered afterwards."""
    name = "test.topic"
    received: list[consumers.Message] = []
    failures: list[Exception] = []

    def consume(message: consumers.Message) -> None:
        received.append(message)
        if failures:
            raise failures.pop(0)

    consumers.register(name, consume)
    yield type("Topic", (), {"name": name, "received": received, "failures": failures})
    consumers._consumers.pop(name, None)
