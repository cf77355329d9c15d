"""Curated facts: landmark trials, regulatory facts and the checks that use them.

The TOML files in `data/facts/` are written by hand from verified sources
(../shared/reference): a field that was not verified is absent and loads as
None, never a guess. The loader checks what the verdict rules rely on: every
fact has a source URL, every vocabulary word is one of DESIGN.md's, every fact
a check names exists.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from data.records import CLAIM_TYPES, CONDITIONS, DESIGNS, OUTCOME_KINDS, VERDICTS

FACTS_DIR = Path(__file__).with_name("facts")
CITE_SCOPES = {"condition", "durability", "early", "adverse", *CONDITIONS}


@dataclass(frozen=True)
class Rate:
    """A percentage reported for one arm of a trial."""
    kind: str
    value: float
    arm: str
    measure: str | None = None
    timepoint: str | None = None
    control: bool = False


@dataclass(frozen=True)
class Trial:
    id: str
    label: str
    conditions: tuple[str, ...]
    design: str
    design_detail: str
    intervention: str
    comparator: str
    measure: str
    result: str
    sources: tuple[str, ...]
    pmid: str | None = None
    doi: str | None = None
    nct_id: str | None = None
    journal: str | None = None
    year: int | None = None
    crossover: bool = False
    n_randomized: int | None = None
    comparator_type: str | None = None
    saline_controlled: bool = False
    timepoint: str | None = None
    significant_primary: str | None = None   # yes | no | mixed
    durability: str | None = None
    adverse_events: str | None = None
    rates: tuple[Rate, ...] = ()


@dataclass(frozen=True)
class RegulatoryFact:
    id: str
    statement: str
    sources: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class ClaimCheck:
    id: str
    match: re.Pattern
    verdict: str
    reason: str
    types: frozenset[str] = frozenset(CLAIM_TYPES)
    unless: re.Pattern | None = None
    facts: tuple[str, ...] = ()
    trials: tuple[str, ...] = ()
    cite: str | None = None

    def applies(self, claim_type: str, text: str) -> bool:
        return (claim_type in self.types and self.match.search(text) is not None
                and not (self.unless and self.unless.search(text)))


@dataclass(frozen=True)
class SafetyRule:
    minimising: re.Pattern
    qualified: re.Pattern
    transient: re.Pattern
    overstated: str
    supported: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    trials: tuple[Trial, ...]
    regulatory: dict[str, RegulatoryFact]
    checks: tuple[ClaimCheck, ...]
    safety: SafetyRule
    cues: dict[str, re.Pattern]
    not_checkable: dict[str, str]
    condition_names: dict[str, str]
    related_conditions: dict[str, tuple[str, ...]]
    measure_conditions: dict[str, tuple[str, ...]]
    source_indicators: dict[str, re.Pattern]

    def trial(self, trial_id: str) -> Trial:
        return next(t for t in self.trials if t.id == trial_id)


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


def _read(folder: Path, name: str) -> dict[str, Any]:
    with open(folder / name, "rb") as fh:
        return tomllib.load(fh)


def _trial(row: dict[str, Any]) -> Trial:
    row = dict(row)
    row["rates"] = tuple(Rate(**r) for r in row.get("rates", ()))
    row["conditions"] = tuple(row["conditions"])
    row["sources"] = tuple(row["sources"])
    return Trial(**row)


def _check(row: dict[str, Any]) -> ClaimCheck:
    row = dict(row)
    row["match"] = _re(row["match"])
    row["unless"] = _re(row["unless"]) if row.get("unless") else None
    row["types"] = frozenset(row.get("types", CLAIM_TYPES))
    row["facts"] = tuple(row.get("facts", ()))
    row["trials"] = tuple(row.get("trials", ()))
    return ClaimCheck(**row)


@lru_cache(maxsize=4)
def load_facts(folder: Path = FACTS_DIR) -> Facts:
    """All curated facts, validated; raises ValueError on a broken file."""
    rules = _read(folder, "claim_checks.toml")
    safety = rules["safety"]
    facts = Facts(
        trials=tuple(_trial(t) for t in _read(folder, "trials.toml")["trial"]),
        regulatory={f["id"]: RegulatoryFact(f["id"], f["statement"], tuple(f["sources"]), f.get("note"))
                    for f in _read(folder, "regulatory.toml")["fact"]},
        checks=tuple(_check(c) for c in rules["check"]),
        safety=SafetyRule(_re(safety["minimising"]), _re(safety["qualified"]), _re(safety["transient"]),
                          safety["overstated"], safety["supported"], tuple(safety["facts"])),
        cues={k: _re(v) for k, v in rules["cues"].items()},
        not_checkable=rules["not_checkable"],
        condition_names=rules["condition_names"],
        related_conditions={k: tuple(v) for k, v in rules["related_conditions"].items()},
        measure_conditions={k: tuple(v) for k, v in rules["measure_conditions"].items()},
        source_indicators={k: _re(v) for k, v in _read(folder, "source_indicators.toml").items()},
    )
    _validate(facts)
    return facts


def _validate(facts: Facts) -> None:
    problems = []
    for t in facts.trials:
        if not t.sources or not all(u.startswith(("http://", "https://")) for u in t.sources):
            problems.append(f"trial {t.id}: every trial needs source URLs")
        if t.design not in DESIGNS or not set(t.conditions) <= set(CONDITIONS):
            problems.append(f"trial {t.id}: design or condition outside the vocabulary")
        if any(r.kind not in OUTCOME_KINDS for r in t.rates):
            problems.append(f"trial {t.id}: rate kind outside the vocabulary")
    for f in facts.regulatory.values():
        if not f.sources:
            problems.append(f"fact {f.id}: no source URL")
    trial_ids = {t.id for t in facts.trials}
    for c in facts.checks:
        if c.verdict not in VERDICTS or not c.types <= set(CLAIM_TYPES):
            problems.append(f"check {c.id}: verdict or claim type outside the vocabulary")
        if not set(c.facts) <= set(facts.regulatory) or not set(c.trials) <= trial_ids:
            problems.append(f"check {c.id}: names a fact or trial that does not exist")
        if c.cite is not None and c.cite not in CITE_SCOPES:
            problems.append(f"check {c.id}: unknown cite scope {c.cite!r}")
    if not set(facts.safety.facts) <= set(facts.regulatory):
        problems.append("safety: names a fact that does not exist")
    if problems:
        raise ValueError("; ".join(problems))
