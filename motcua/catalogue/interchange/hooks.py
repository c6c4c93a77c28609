"""What other apps do with the versions the catalogue publishes, by an import or by an edit in
the admin: an explicit registry (style.md: no Django signals). Each hook receives the
published versions, runs in the publishing transaction (an import's dry run rolls its work
back with the rest) and returns lines for the import's summary or the admin's messages. The
payments app derives fee items here (payments.from_catalogue)."""

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
