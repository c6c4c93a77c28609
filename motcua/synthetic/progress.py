"""A one-line progress report on stderr: `\r  label  1,230,000/10,000,000  12,300/s  ETA 3m10s`.

Redrawn at most every half second; `close()` ends the line with the total time and rate.
"""

import sys
import time
from typing import TextIO


def duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None):
        self.label, self.total = label, total
        self.stream = stream if stream is not None else sys.stderr
        self.started = self._drawn = time.perf_counter()
        self.done = 0

    def __call__(self, done: int, total: int | None = None, *args, **kwargs) -> None:
        """Accepts (done) or (done, total): usable as any loop's progress callback."""
        self.done = done
        if total is not None:
            self.total = total
        now = time.perf_counter()
        if now - self._drawn >= 0.5:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        line = f"\r  {self.label}  {self.done:,}"
        if self.total:
            line += f"/{self.total:,}"
        line += f"  {rate:,.0f}/s"
        if self.total and rate > 0:
            line += f"  ETA {duration((self.total - self.done) / rate)}"
        self.stream.write(line.ljust(72))
        self.stream.flush()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def close(self) -> float:
        """End the line; the seconds taken."""
        now = time.perf_counter()
        self._draw(now)
        self.stream.write(f"  done in {duration(now - self.started)}\n")
        self.stream.flush()
        return now - self.started
