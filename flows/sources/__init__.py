"""Collectors: one plain client per source (no Prefect inside)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from data.store import Failure, IngestCounts


@dataclass
class SourceStats:
    """What one source did in one run; stored in the run record."""
    source: str
    requests: int = 0
    counts: IngestCounts = field(default_factory=IngestCounts)
    failures: list[Failure] = field(default_factory=list)
    ok: bool = True                       # False: the source could not be collected

    def fail(self, item: str, reason: str, fatal: bool = False) -> None:
        self.failures.append(Failure(self.source, item, reason))
        if fatal:
            self.ok = False

    def as_json(self) -> dict:
        return {"requests": self.requests, **asdict(self.counts), "ok": self.ok,
                "failures": len(self.failures)}
