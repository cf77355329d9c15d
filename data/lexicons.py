"""The project's lexicons: TOML data files under `data/lexicons/`, loaded once.

Every lexicon is a plain TOML file a non-programmer can edit. Lists of
*phrases* use one small syntax, compiled here into regular expressions:

- a plain phrase matches case-insensitively, as whole words;
- a space inside a phrase matches any run of whitespace or a hyphen
  ("game changer" also finds "game-changer");
- a hyphen matches a hyphen, a space or nothing ("fast-acting" also finds
  "fast acting" and "fastacting");
- an apostrophe matches a straight or a curly one;
- `*` at the end of a word matches any ending ("revolutioni*" finds
  "revolutionise", "revolutionizing", ...);
- an entry starting with `re:` is a raw regular expression (still
  case-insensitive; use `(?-i:...)` for a case-sensitive part).

Lexicons are read with `tomllib` from this folder and cached with
`functools.cache`; the compiled views (`hype()`, `evidence()`, ...) are cached
too, so extractors never load or compile a lexicon per sentence.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

from data.records import CLAIM_TYPES, CONDITIONS, DESIGNS

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"

_WORD_START = r"(?<![\w])"
_WORD_END = r"(?![\w])"


# --------------------------------------------------------------------------
# loading and compiling
# --------------------------------------------------------------------------

@cache
def load(name: str) -> dict:
    """The parsed TOML lexicon `data/lexicons/<name>.toml`."""
    path = LEXICON_DIR / f"{name}.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


def available() -> list[str]:
    """Names of the lexicon files present."""
    return sorted(p.stem for p in LEXICON_DIR.glob("*.toml"))


def phrase_to_regex(phrase: str) -> str:
    """One lexicon entry as a regex fragment (no word boundaries added)."""
    if phrase.startswith("re:"):
        return f"(?:{phrase[3:]})"
    out: list[str] = []
    for ch in phrase.strip():
        if ch == " ":
            out.append(r"[\s\-]+")
        elif ch == "-":
            out.append(r"[\s\-]?")
        elif ch in "'’":
            out.append("['’]")
        elif ch == "*":
            out.append(r"\w*")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def phrases_regex(phrases: Iterable[str], *, bounded: bool = True) -> str:
    """An alternation of entries, longest first, as a regex string."""
    uniq = sorted({p for p in phrases if p and p.strip()}, key=lambda p: (-len(p), p))
    if not uniq:
        return r"(?!x)x"  # matches nothing
    body = "|".join(phrase_to_regex(p) for p in uniq)
    return f"{_WORD_START}(?:{body}){_WORD_END}" if bounded else f"(?:{body})"


def compile_phrases(phrases: Iterable[str], *, bounded: bool = True,
                    flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(phrases_regex(phrases, bounded=bounded), flags)


def compile_groups(groups: dict[str, Iterable[str]], *, flags: int = re.IGNORECASE
                   ) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex with a named group per key; returns (pattern, group->key)."""
    parts, names = [], {}
    for n, (key, phrases) in enumerate(groups.items()):
        gname = f"g{n}"
        names[gname] = key
        parts.append(f"(?P<{gname}>{phrases_regex(phrases, bounded=False)})")
    if not parts:
        return re.compile(r"(?!x)x"), {}
    return re.compile(f"{_WORD_START}(?:{'|'.join(parts)}){_WORD_END}", flags), names


def norm_term(text: str) -> str:
    """A matched term as reported: lower case, single spaces, straight quotes."""
    return re.sub(r"\s+", " ", text.strip().lower().replace("’", "'"))


# --------------------------------------------------------------------------
# compiled views, one per lexicon
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class HypeLexicon:
    pattern: re.Pattern[str]          # one named group per category
    group_category: dict[str, str]    # regex group -> category name
    weights: dict[str, float]         # category -> weight
    threshold: float
    hedge_sensitive: frozenset[str]   # terms ignored in a hedged sentence
    stats_sensitive: frozenset[str]   # terms ignored in a statistical context
    neutral: re.Pattern[str]          # spans that are never hype ("breakthrough therapy designation")
    stats_context: re.Pattern[str]


@cache
def hype() -> HypeLexicon:
    lx = load("hype")
    tiers: dict[str, float] = lx["tiers"]
    cats = sorted(lx["category"], key=lambda c: -tiers[c["tier"]])
    pattern, names = compile_groups({c["name"]: c["terms"] for c in cats})
    return HypeLexicon(
        pattern=pattern,
        group_category=names,
        weights={c["name"]: float(tiers[c["tier"]]) for c in cats},
        threshold=float(lx["threshold"]),
        hedge_sensitive=frozenset(norm_term(t) for t in lx["context"]["hedge_sensitive"]),
        stats_sensitive=frozenset(norm_term(t) for t in lx["context"]["stats_sensitive"]),
        neutral=compile_phrases(lx["context"]["neutral"]),
        stats_context=compile_phrases(lx["context"]["stats_context"], bounded=False),
    )


@dataclass(frozen=True)
class SimpleLexicon:
    """A lexicon that is one list of phrases, plus phrases that cancel it."""
    pattern: re.Pattern[str]
    exclude: re.Pattern[str]


@cache
def _simple(name: str) -> SimpleLexicon:
    lx = load(name)
    return SimpleLexicon(compile_phrases(lx["phrases"]),
                         compile_phrases(lx.get("exclude", [])))


def calls_to_action() -> SimpleLexicon:
    return _simple("calls_to_action")


def hedges() -> SimpleLexicon:
    return _simple("hedges")


@dataclass(frozen=True)
class RiskLexicon:
    pattern: re.Pattern[str]
    denial: re.Pattern[str]           # "no side effects": a safety claim, not a disclosure


@cache
def risks() -> RiskLexicon:
    lx = load("risks")
    return RiskLexicon(compile_phrases(lx["phrases"]), compile_phrases(lx["denial"]))


@dataclass(frozen=True)
class EvidenceLexicon:
    vague: re.Pattern[str]
    journal_domains: tuple[str, ...]
    registry_domains: tuple[str, ...]
    pubmed_domains: tuple[str, ...]
    regulator_domains: tuple[str, ...]

    @property
    def citable_domains(self) -> tuple[str, ...]:
        return (self.pubmed_domains + self.registry_domains + self.journal_domains
                + self.regulator_domains)


@cache
def evidence() -> EvidenceLexicon:
    lx = load("evidence")
    d = lx["domains"]
    return EvidenceLexicon(
        vague=compile_phrases(lx["vague_appeals"]),
        journal_domains=tuple(d["journals"]),
        registry_domains=tuple(d["registries"]),
        pubmed_domains=tuple(d["pubmed"]),
        regulator_domains=tuple(d["regulators"]),
    )


@dataclass(frozen=True)
class ConditionLexicon:
    order: tuple[str, ...]
    mask: re.Pattern[str]                       # mentions that name no condition
    steps: tuple[tuple[str, re.Pattern[str], bool], ...]  # (condition, pattern, masks its span)
    pain_generic: re.Pattern[str]
    acute_context: re.Pattern[str]
    chronic_generic: re.Pattern[str]
    mesh: dict[str, str]


@cache
def conditions() -> ConditionLexicon:
    lx = load("conditions")
    steps = tuple((s["condition"], compile_phrases(s["phrases"]), bool(s.get("consume", False)))
                  for s in lx["step"])
    for cond, _, _ in steps:
        if cond not in CONDITIONS:
            raise ValueError(f"conditions.toml: unknown condition {cond!r}")
    return ConditionLexicon(
        order=CONDITIONS,
        mask=compile_phrases(lx["not_a_condition"]),
        steps=steps,
        pain_generic=compile_phrases(lx["pain"]["generic"]),
        acute_context=compile_phrases(lx["pain"]["acute_context"]),
        chronic_generic=compile_phrases(lx["pain"]["chronic_generic"]),
        mesh={k.lower(): v for k, v in lx["mesh"].items()},
    )


@dataclass(frozen=True)
class ClaimLexicon:
    priority: tuple[str, ...]
    cues: dict[str, re.Pattern[str]]
    preferred_units: dict[str, tuple[str, ...]]


@cache
def claim_cues() -> ClaimLexicon:
    lx = load("claim_cues")
    priority = tuple(lx["priority"])
    if set(priority) != set(CLAIM_TYPES):
        raise ValueError("claim_cues.toml: priority must list every claim type once")
    return ClaimLexicon(
        priority=priority,
        cues={t: compile_phrases(lx["cues"][t]) for t in priority},
        preferred_units={t: tuple(u) for t, u in lx["preferred_units"].items()},
    )


@dataclass(frozen=True)
class QuantityLexicon:
    fractions: dict[str, float]
    ops: dict[str, re.Pattern[str]]     # op -> phrases placed before a number
    time_units: dict[str, str]          # spelling -> canonical unit
    number_words: dict[str, int]


@cache
def quantities() -> QuantityLexicon:
    lx = load("quantities")
    return QuantityLexicon(
        fractions={norm_term(k): float(v) for k, v in lx["fractions"].items()},
        ops={op: compile_phrases(p) for op, p in lx["ops"].items()},
        time_units={k.lower(): v for k, v in lx["time_units"].items()},
        number_words={k.lower(): int(v) for k, v in lx["number_words"].items()},
    )


@dataclass(frozen=True)
class TreatmentLexicon:
    forms: tuple[tuple[str, re.Pattern[str]], ...]   # (canonical, pattern), most specific first
    any_form: re.Pattern[str]
    generic_subject: re.Pattern[str]
    competitor: re.Pattern[str]
    comparators: tuple[tuple[str, str, re.Pattern[str]], ...]  # (name, type, pattern)
    comparison_lead: re.Pattern[str]


@cache
def treatments() -> TreatmentLexicon:
    lx = load("treatments")
    forms = tuple((k, compile_phrases(v)) for k, v in lx["forms"].items())
    comps = tuple((c["name"], c["type"], compile_phrases(c["phrases"]))
                  for c in lx["comparator"])
    return TreatmentLexicon(
        forms=forms,
        any_form=compile_phrases([p for v in lx["forms"].values() for p in v]),
        generic_subject=compile_phrases(lx["generic_subject"]),
        competitor=compile_phrases(lx["competitor"]),
        comparators=comps,
        comparison_lead=compile_phrases(lx["comparison_lead"], bounded=False),
    )


@dataclass(frozen=True)
class MeasureLexicon:
    pattern: re.Pattern[str]
    group_measure: dict[str, str]


@cache
def measures() -> MeasureLexicon:
    lx = load("measures")
    pattern, names = compile_groups(lx["measures"])
    return MeasureLexicon(pattern, names)


@dataclass(frozen=True)
class DesignLexicon:
    publication_types: tuple[tuple[str, str], ...]   # (publication type, design), by priority
    text_cues: tuple[tuple[str, re.Pattern[str]], ...]  # design by priority
    negated_randomized: re.Pattern[str]
    animal: re.Pattern[str]
    human: re.Pattern[str]
    crossover: re.Pattern[str]
    sections: dict[str, tuple[str, ...]]


@cache
def design() -> DesignLexicon:
    lx = load("design")
    pts = tuple((k.lower(), v) for k, v in lx["publication_types"].items())
    cues = tuple((c["design"], compile_phrases(c["phrases"])) for c in lx["cue"])
    for d in [v for _, v in pts] + [d for d, _ in cues]:
        if d not in DESIGNS:
            raise ValueError(f"design.toml: unknown design {d!r}")
    return DesignLexicon(
        publication_types=pts,
        text_cues=cues,
        negated_randomized=compile_phrases(lx["negated_randomized"]),
        animal=compile_phrases(lx["animal"]),
        human=compile_phrases(lx["human"]),
        crossover=compile_phrases(lx["crossover"]),
        sections={k: tuple(v) for k, v in lx["sections"].items()},
    )


@dataclass(frozen=True)
class OutcomeLexicon:
    kind_pattern: re.Pattern[str]
    group_kind: dict[str, str]
    adverse: re.Pattern[str]
    good_outcome: re.Pattern[str]
    bad_outcome: re.Pattern[str]
    no_difference: re.Pattern[str]
    benefit: re.Pattern[str]
    harm: re.Pattern[str]
    significant: re.Pattern[str]
    baseline: re.Pattern[str]
    primary: re.Pattern[str]
    definition_percent: re.Pattern[str]


@cache
def outcomes() -> OutcomeLexicon:
    lx = load("outcomes")
    kp, names = compile_groups(lx["kinds"])
    return OutcomeLexicon(
        kind_pattern=kp,
        group_kind=names,
        adverse=compile_phrases(lx["adverse_events"]),
        good_outcome=compile_phrases(lx["good_outcome"]),
        bad_outcome=compile_phrases(lx["bad_outcome"]),
        no_difference=compile_phrases(lx["direction"]["no_difference"]),
        benefit=compile_phrases(lx["direction"]["benefit"]),
        harm=compile_phrases(lx["direction"]["harm"]),
        significant=compile_phrases(lx["direction"]["significant"]),
        baseline=compile_phrases(lx["baseline"]),
        primary=compile_phrases(lx["primary"]),
        definition_percent=compile_phrases(lx["definition_percent"], bounded=False),
    )


@dataclass(frozen=True)
class SentenceLexicon:
    abbreviations: frozenset[str]        # never end a sentence ("dr", "e.g", "vs")
    before_number: frozenset[str]        # abbreviations only before a number ("no", "fig")
    initial_exceptions: frozenset[str]   # "group B." ends a sentence, "J. Smith" does not
    debris_line: re.Pattern[str]         # a whole line that is page debris
    debris_contains: re.Pattern[str]     # a line containing this is debris


@cache
def sentences() -> SentenceLexicon:
    lx = load("sentences")
    d = lx["debris"]
    return SentenceLexicon(
        abbreviations=frozenset(a.lower().rstrip(".") for a in lx["abbreviations"]["always"]),
        before_number=frozenset(a.lower().rstrip(".") for a in lx["abbreviations"]["before_number"]),
        initial_exceptions=frozenset(w.lower() for w in lx["abbreviations"]["initial_exceptions"]),
        debris_line=re.compile(
            r"^(?:" + "|".join(f"(?:{phrases_regex([p], bounded=False)})" for p in d["lines"]) + r")$",
            re.IGNORECASE),
        debris_contains=compile_phrases(d["contains"]),
    )


def preload() -> None:
    """Load and compile every lexicon (e.g. before timing or forking)."""
    for fn in (hype, calls_to_action, hedges, risks, evidence, conditions, claim_cues,
               quantities, treatments, measures, design, outcomes, sentences):
        fn()
