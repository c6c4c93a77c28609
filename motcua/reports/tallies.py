"""Running tallies (work in progress in this session: falls back to the direct count)."""

from .naive import counts  # noqa: F401
