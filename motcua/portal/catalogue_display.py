"""Shaping a procedure version for reading: components by case, time limits per channel.

Imported data is kept as published, so these helpers accept the loose shapes found in it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from motcua.catalogue.models import Channel, Component, ProcedureVersion
from motcua.catalogue.text import describe_time_limit

from .templatetags.catalogue_format import choice_label


@dataclass
class ComponentGroup:
    case: str
    components: list[Component] = field(default_factory=list)

    @property
    def has_forms(self) -> bool:
        """Whether to show the form template column at all."""
        return any(c.form_files or c.form_file for c in self.components)


def grouped_components(components: Iterable[Component]) -> list[ComponentGroup]:
    """Components grouped by case (trường hợp), groups in order of first appearance."""
    groups: dict[str, ComponentGroup] = {}
    for component in components:
        case = component.case.strip()
        groups.setdefault(case, ComponentGroup(case)).components.append(component)
    return list(groups.values())


@dataclass(frozen=True)
class ChannelTimeLimit:
    channel: str
    text: str


def time_limits_by_channel(version: ProcedureVersion) -> list[ChannelTimeLimit]:
    """Per-channel time limits, only when they are not all the same (else the headline says
    it). A channel with several limits (one per case) gets them joined by "; ".

    An entry looks like {"channel": "online", "value": 5, "unit": "working_days", "text":
    "5 Ngày làm việc"} (catalogue interchange); value and unit win over the published text,
    which is shown when they are missing ("time_limit" is accepted for "text")."""
    by_channel: dict[str, list[str]] = {}
    for entry in version.channel_time_limits or []:
        if isinstance(entry, dict) and (text := _limit_text(entry)):
            texts = by_channel.setdefault(str(entry.get("channel") or ""), [])
            if text not in texts:
                texts.append(text)
    if len({text for texts in by_channel.values() for text in texts}) < 2:
        return []
    return [
        ChannelTimeLimit(choice_label(channel, Channel), "; ".join(texts))
        for channel, texts in by_channel.items()
    ]


def _limit_text(entry: dict) -> str:
    return str(_value_and_unit(entry) or entry.get("text") or entry.get("time_limit") or "")


def _value_and_unit(entry: dict) -> str:
    value, unit = entry.get("value"), entry.get("unit")
    if value is None or not unit:
        return ""
    return describe_time_limit(value, unit)
