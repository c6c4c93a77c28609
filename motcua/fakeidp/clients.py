"""The relying parties the fake provider knows: one demo client per national provider, each
answered with that provider's claims (DVCQG's Vietnamese names; VNeID's with its `IAL`)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    client_secret: str
    style: str  # "dvcqg" or "vneid": which provider's claims the fake answers with


CLIENTS = {
    client.client_id: client
    for client in (
        DemoClient("motcua-dvcqg-demo", "demo-secret-dvcqg", "dvcqg"),
        DemoClient("motcua-vneid-demo", "demo-secret-vneid", "vneid"),
    )
}


def demo_client(style: str) -> DemoClient:
    return next(client for client in CLIENTS.values() if client.style == style)
