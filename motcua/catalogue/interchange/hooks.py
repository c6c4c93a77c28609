"""What other apps do with the versions a catalogue import publishes: an explicit registry
(style.md: no Django signals). Each hook receives the published versions, runs in the
import's transaction (a dry run rolls its work back with the rest) and returns lines for the
import's summary. The payments app derives fee items here (payments.from_catalogue)."""

from collections.abc import Callable, Iterable

from motcua.catalogue.models import ProcedureVersion

Hook = Callable[[list[ProcedureVersion]], Iterable[str]]
_hooks: list[Hook] = []


def after_import(hook: Hook) -> Hook:
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def run(versions: list[ProcedureVersion]) -> list[str]:
    lines: list[str] = []
    for hook in _hooks:
        lines.extend(hook(versions))
    return lines
