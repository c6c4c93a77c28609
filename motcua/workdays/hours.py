"""The working day's two half-days and the receipt cut-off, and their settings syntax.

Defaults follow common provincial practice (domain.md §6.2: 07:30-11:30, 13:30-17:00) and
the 15:00 cut-off of Decree 61/2018 art. 18. Pure: no ORM, no settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _clock(seconds: int) -> time:
    hours, rest = divmod(seconds, 3600)
    return time(hours, *divmod(rest, 60))


def parse_clock(text: str) -> time:
    """ "HH:MM" -> time; ValueError otherwise."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"expected HH:MM, got {text!r}")
    return time(int(hours), int(minutes))


def parse_span(text: str) -> tuple[time, time]:
    """ "HH:MM-HH:MM" -> (start, end); ValueError otherwise."""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f"expected HH:MM-HH:MM, got {text!r}")
    return parse_clock(start), parse_clock(end)


@dataclass(frozen=True)
class WorkingHours:
    """The two working half-days and the receipt cut-off (None: no cut-off).

    Defaults follow common provincial practice (domain.md §6.2) and Decree 61/2018 art. 18.
    """

    morning: tuple[time, time] = (time(7, 30), time(11, 30))
    afternoon: tuple[time, time] = (time(13, 30), time(17, 0))
    cutoff: time | None = time(15, 0)

    def __post_init__(self) -> None:
        bounds = [_seconds(t) for t in (*self.morning, *self.afternoon)]
        m0, m1, a0, a1 = bounds
        if not (m0 < m1 <= a0 < a1):
            raise ValueError("working hours must be two ordered, non-overlapping half-days")

    @classmethod
    def parse(cls, morning: str, afternoon: str, cutoff: str = "") -> WorkingHours:
        """From settings strings: "07:30-11:30", "13:30-17:00", "15:00" or "" (no cut-off)."""
        parsed_cutoff = parse_clock(cutoff) if cutoff.strip() else None
        return cls(parse_span(morning), parse_span(afternoon), parsed_cutoff)

    @property
    def morning_seconds(self) -> int:
        return _seconds(self.morning[1]) - _seconds(self.morning[0])

    @property
    def day_seconds(self) -> int:
        return self.morning_seconds + _seconds(self.afternoon[1]) - _seconds(self.afternoon[0])

    def worked_seconds(self, clock: time) -> int:
        """Working seconds of a working day that have passed at `clock` (0 .. day_seconds)."""
        s = _seconds(clock)
        m0, m1 = (_seconds(t) for t in self.morning)
        a0, a1 = (_seconds(t) for t in self.afternoon)
        if s <= m1:
            return max(0, s - m0)
        if s <= a0:
            return m1 - m0
        return (m1 - m0) + min(s, a1) - a0

    def clock_at(self, worked: int) -> time:
        """The earliest clock at which `worked` seconds of the day have passed: a whole
        morning ends at the end of the morning (11:30), not at the start of the afternoon."""
        if worked <= self.morning_seconds:
            return _clock(_seconds(self.morning[0]) + worked)
        return _clock(_seconds(self.afternoon[0]) + worked - self.morning_seconds)

    def is_open_at(self, clock: time) -> bool:
        return (
            self.morning[0] <= clock < self.morning[1]
            or self.afternoon[0] <= clock < self.afternoon[1]
        )
