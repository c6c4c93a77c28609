"""How long a failed delivery waits before the next attempt: exponential backoff with
"equal jitter" (pure module, no ORM).

After the n-th failed attempt the ceiling is `base * 2**(n-1)`, capped at `cap`; the wait is
drawn uniformly from the upper half of it, [ceiling/2, ceiling]. The lower half guarantees
that the waits grow (a consumer that is down gets room to recover); the random half spreads
the retries of many messages that failed together (a partner's outage) so that they do not
all come back in the same second.
"""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    base: float  # seconds, ceiling after the first failure
    cap: float  # seconds, the longest wait

    def ceiling(self, attempt: int) -> float:
        """The longest wait after failed attempt number `attempt` (1 = the first)."""
        if attempt < 1:
            raise ValueError("attempts are counted from 1")
        # 2**64 seconds is beyond any cap: stop doubling there (no overflow for large n).
        return min(self.cap, self.base * 2 ** min(attempt - 1, 64))

    def floor(self, attempt: int) -> float:
        """The shortest wait after failed attempt `attempt`."""
        return self.ceiling(attempt) / 2

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed attempt `attempt`, jittered."""
        ceiling = self.ceiling(attempt)
        return (rng or random).uniform(ceiling / 2, ceiling)

    def worst_total(self, attempts: int) -> float:
        """The longest time a message can spend in backoff over `attempts` failures: the
        bound on how late a dead letter is declared."""
        return sum(self.ceiling(n) for n in range(1, attempts + 1))
