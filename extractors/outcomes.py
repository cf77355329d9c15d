"""Reported outcomes in abstracts and registry texts (first pass).

Per sentence:
- rates: a percentage with a kind cue before it (response, remission,
  relapse, an adverse event) -> response_rate / remission_rate / relapse_rate /
  adverse_event_rate, with its arm ("64% with ketamine vs 28% with midazolam",
  "ketamine (64%)", "... in the ketamine and midazolam groups, respectively");
  percentages that define a response ("a 50% reduction") and CI bounds are not
  rates;
- ratios: OR / HR / RR / incidence rate ratios with their 95% CI, also when
  named with what they are of ("odds ratio for remission was 2.1");
- effect sizes: Cohen's d, Hedges' g, SMD; mean differences ("MD -1.83",
  "7.95 points lower", "the difference was 1.5"; a difference in % is a
  risk difference, kind other); mean changes ("a mean change of -12.3");
- p-values: attached to the outcomes before them in the sentence, or, in a
  sentence with no other outcome, an outcome of their own (kind from the cue,
  else "other") for the sentence's measure;
- timepoint: "at 24 hours", "day 7", "week 4", nearest in the sentence;
- direction: benefit / harm / no_difference when clear.

Numbers that cannot be right (an estimate outside its own CI, a CI whose low
end is above its high end, a percentage above 100, a ratio at or below 0) are
kept with direction None and are counted by `count_suspect` - scraped text
loses minus signs ("24.0 (27.31, 20.64)" for "-4.0 (-7.31, -0.64)").
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any, Sequence

from data import lexicons
from data.records import Document, Outcome

_SNUM = r"[-−–]?\s?\d+(?:\.\d+)?|[-−–]?\.\d+"
_MIDDOT = re.compile(r"(?<=\d)[·•](?=\d)")
_NUMV = r"\d+(?:\.\d+)?"


def _f(tok: str) -> float:
    return float(re.sub(r"\s", "", tok).replace("−", "-").replace("–", "-"))


_P = re.compile(r"(?<![\w.])[Pp]\s*(?:-?\s*values?\s*)?(?P<op><=|>=|≤|≥|⩽|⩾|<|>|=|&lt;|&gt;|,(?=\s*0?\.\d))\s*(?P<v>0?\.\d+|\d(?:\.\d+)?(?:\s*[x×]\s*10\s*[-−]\s*\d+)?)")
_PCT = re.compile(rf"(?<![\w.])(?P<v>{_NUMV})\s?%")
_CI_LABEL = re.compile(
    rf"(?:(?:95|90|99)\s?%\s?(?:CI|CrI|confidence\s+intervals?|credible\s+intervals?)|\bCI)\s*[:,=]?\s*(?:of\s+|from\s+)?[\[(]?\s*"
    rf"(?P<lo>{_SNUM})\s*%?\s*(?:to|,|;|–|—|-(?=\s?[-−–]?\s?\.?\d))\s*(?P<hi>{_SNUM})\s*%?", re.I)
_CI_BARE = re.compile(
    rf"^\s*[\[(]\s*(?P<lo>{_SNUM})\s*%?\s*(?:to|,|;|–|—|-(?=\s?[-−–]?\s?\.?\d))\s*(?P<hi>{_SNUM})\s*%?\s*[\])]")
_PERCENT_UNIT = re.compile(r"\s?%")
# What an estimate is of, between its name and its value: "odds ratio for
# response was", "difference between the groups was" (words, never numbers).
_OF_WHAT = r"(?i:\s+(?:for|between)\s+(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)?"
_RATIO = re.compile(
    rf"(?:\b(?i:odds\s+ratios?|hazard\s+ratios?|risk\s+ratios?|relative\s+risks?|inciden(?:ce|t)\s+rate\s+ratio)|\b(?:a?OR|a?HR|RR|IRR)\b)"
    rf"{_OF_WHAT}\s*(?:[(\[][^)\]]{{0,25}}[)\]]\s*)?(?:[:=,]|(?i:was|of|is|were))?\s*(?P<v>{_NUMV})(?![\d.])")
_RATIO_KIND = (("odds", "odds_ratio"), ("or", "odds_ratio"), ("aor", "odds_ratio"),
               ("hazard", "hazard_ratio"), ("hr", "hazard_ratio"), ("ahr", "hazard_ratio"),
               ("risk", "risk_ratio"), ("relative", "risk_ratio"), ("rr", "risk_ratio"),
               ("incid", "risk_ratio"), ("irr", "risk_ratio"))
_ES = re.compile(
    rf"(?:\b(?i:cohen['’]?s\s+d|hedges['’]?\s*g|standardi[sz]ed\s+mean\s+differences?|effect\s+sizes?)(?:\s*\(\s*[dg]\s*\))?|\bSMD\b|(?<![\w.])[dg](?=\s*=))"
    rf"\s*(?:[:=,]|(?i:was|of|is|were))?\s*(?P<v>{_SNUM})")
_MD = re.compile(
    rf"\b(?:(?:(?i:(?:least[\s-]squares?\s+|ls\s+|weighted\s+|adjusted\s+)?mean\s+differences?)|MD|WMD|LSMD)\b"
    rf"(?i:\s+(?:in|on|for)\s+(?:the\s+)?[\w-]+(?:\s+(?:total\s+)?scores?)?)?{_OF_WHAT}"
    # a bare "difference" only with a word that gives its value: "difference was", "difference: "
    rf"|(?i:(?:adjusted\s+|between[\s-]groups?\s+|treatment\s+)?difference){_OF_WHAT}(?=\s*[:=,]|\s+(?i:was|of|is|were)\b))"
    rf"\s*(?:[(\[][^)\]]{{0,25}}[)\]]\s*)?(?:[:=,]|(?i:was|of|is|were))?\s*(?P<v>{_SNUM})(?![\d.])")
_POINTS = re.compile(rf"(?<![\w.])(?P<v>{_NUMV})\s+(?:points?|units?)\s+(?P<d>lower|higher|greater|more|less|fewer|better|worse)\b", re.I)
_CHANGE = re.compile(
    rf"\b(?:mean\s+)?(?:change|reduction|decrease|improvement)(?:\s+from\s+baseline)?(?:\s+in\s+[\w-]+(?:\s+(?:scores?|total))?)?\s*(?:of|was|=|:)\s*(?P<v>{_SNUM})(?![\d.])(?!\s*%)",
    re.I)
_FELL = re.compile(rf"\b(?:fell|dropped|decreased|declined|improved|reduced|decline|drop)\s+(?:by\s+)?(?P<v>{_NUMV})\s+(?:points?)", re.I)
_TIME = re.compile(
    r"\b(?:(?P<unit1>day|week|month|hour|visit)\s+(?P<n1>\d+(?:\.\d+)?)"
    r"|(?:at|after|on|by|through|until|to|within|over\s+the\s+first|for)\s+(?:the\s+)?(?P<n2>\d+(?:\.\d+)?)[\s-]*(?P<unit2>h|hrs?|hours?|days?|weeks?|wks?|months?|mo|min|minutes?|years?)\b"
    r"|(?P<n3>\d+(?:\.\d+)?)[\s-]*(?P<unit3>h|hrs?|hours?|days?|weeks?|months?|min|minutes?)\s+(?:after|post|following|later|postoperatively|post-infusion|postinfusion))",
    re.I)
_TIME_CANON = {"h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
               "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "wk": "weeks",
               "wks": "weeks", "month": "months", "months": "months", "mo": "months",
               "min": "minutes", "minute": "minutes", "minutes": "minutes", "year": "years",
               "years": "years"}
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
# Cheap tests run before the expensive patterns above (most sentences hold none).
_ABBR = re.compile(r"\b(?:a?OR|a?HR|RR|IRR|SMD|W?MD|LSMD)\b")
_LETTER_EQ = re.compile(r"(?<![\w.])[dgDG]\s*=")
_P_HINT = re.compile(r"(?<![\w.])[Pp]\s*(?:-?\s*values?\s*)?(?:[<>=≤≥⩽⩾,]|&[lg]t;)")
_RATIO_WORDS = ("ratio", "relative risk")
_ES_WORDS = ("cohen", "hedges", "standardi", "effect size")
_MD_WORDS = ("difference",)
_CHANGE_WORDS = ("change", "reduction", "decrease", "improvement")
_FELL_WORDS = ("fell", "dropped", "decreased", "declined", "improved", "reduced", "decline", "drop")


def _hints(text: str, low: str) -> dict[str, bool]:
    abbr = {m.group(0) for m in _ABBR.finditer(text)}
    eq = "=" in text and _LETTER_EQ.search(text) is not None
    return {
        "ratio": any(w in low for w in _RATIO_WORDS) or bool(abbr & {"OR", "aOR", "HR", "aHR", "RR", "IRR"}),
        "es": any(w in low for w in _ES_WORDS) or "SMD" in abbr or eq,
        "md": any(w in low for w in _MD_WORDS) or bool(abbr & {"MD", "WMD", "LSMD"}),
        "points": "point" in low or "unit" in low,
        "change": any(w in low for w in _CHANGE_WORDS),
        "fell": any(w in low for w in _FELL_WORDS),
        "pct": "%" in text,
        "p": _P_HINT.search(text) is not None,
    }


@cache
def _arm_pattern() -> re.Pattern[str]:
    forms = [p for v in lexicons.load("treatments")["forms"].values() for p in v]
    comps = [p for c in lexicons.load("treatments")["comparator"] for p in c["phrases"]]
    body = lexicons.phrases_regex(forms + comps + ["control", "controls", "usual care",
                                                   "standard care", "treatment as usual"],
                                  bounded=False)
    return re.compile(
        rf"(?<![\w-])(?:(?P<named>{body})(?:[\s-]+(?:plus|\+)\s+[\w-]+)?(?:\s+(?:group|groups|arm|arms|condition|infusion|treated\s+patients|patients))?"
        rf"|(?i:groups?)\s+(?P<g1>(?-i:[A-Z]{{1,3}}\d?))\b|(?P<g2>(?-i:[A-Z]{{1,3}}\d?))\s+(?i:group)\b)(?![\w-])",
        re.I)


def _arm_name(m: re.Match[str]) -> str:
    if m.group("g1") or m.group("g2"):
        return f"group {(m.group('g1') or m.group('g2')).lower()}"
    named = lexicons.norm_term(m.group("named"))
    tx = lexicons.treatments()
    for name, pattern in tx.forms:
        if pattern.fullmatch(named):
            return name
    return named


def _is_intervention_arm(arm: str | None) -> bool:
    return bool(arm) and lexicons.treatments().any_form.search(arm) is not None


def _norm_p(op: str, v: str) -> str:
    op = {"&lt;": "<", "&gt;": ">", "≤": "<=", "≥": ">=", "⩽": "<=", "⩾": ">=", ",": "="}.get(op, op)
    v = re.sub(r"\s", "", v).replace("×", "x").replace("−", "-")
    if v.startswith("."):
        v = "0" + v
    return v if op == "=" else f"{op}{v}"


def _p_float(p: str) -> tuple[str, float] | None:
    m = re.match(r"(<=|>=|<|>)?(\d*\.?\d+)(?:x10-(\d+))?$", p)
    if not m:
        return None
    v = float(m.group(2))
    if m.group(3):
        v *= 10 ** (-int(m.group(3)))
    return (m.group(1) or "="), v


def p_values(text: str) -> list[str]:
    """The p-values of a sentence, normalised ("<0.001", "0.03", "<=0.05")."""
    if "·" in text or "•" in text:
        text = _MIDDOT.sub(".", text)
    return [_norm_p(m.group("op"), m.group("v")) for m in _P.finditer(text)]


def norm_registry_p(p: Any) -> str | None:
    """A registry p-value string ("< 0.0001", "0.21", "NA") in the same form."""
    m = re.match(r"\s*(<=|>=|≤|≥|<|>|=)?\s*(0?\.\d+|\d(?:\.\d+)?)\s*$", str(p or ""))
    return _norm_p(m.group(1) or "=", m.group(2)) if m else None


def p_is_significant(p: str | None) -> bool | None:
    if not p:
        return None
    pv = _p_float(p)
    if pv is None:
        return None
    op, v = pv
    if op in ("<", "<="):
        return v <= 0.05
    if op in (">", ">="):
        return False if v >= 0.05 else None
    return v < 0.05


_CI_COMMA = re.compile(
    rf"^\s*[,;]\s*(?P<lo>{_SNUM})\s*(?:to|–|—|-(?=\s?[-−–]?\s?\.?\d))\s*(?P<hi>{_SNUM})(?![\d.%])")
_CI_NEAR = 18        # a labelled CI must start this close to its estimate


def _ci_after(text: str, end: int, near: int = _CI_NEAR) -> tuple[tuple[float, float] | None, int]:
    window = text[end:end + 70]
    m = _CI_BARE.match(window) or _CI_COMMA.match(window)
    if m:
        return (_f(m.group("lo")), _f(m.group("hi"))), end + m.end()
    m = _CI_LABEL.search(window)
    if m and m.start() <= near and not re.search(
            r"\b(?:OR|HR|RR|SMD|MD)\b|ratio|difference|[dg]\s*=|%", window[:m.start()]):
        return (_f(m.group("lo")), _f(m.group("hi"))), end + m.end()
    return None, end


def _timepoints(text: str) -> list[tuple[int, str]]:
    out = []
    for m in _TIME.finditer(text):
        if m.group("unit1"):
            out.append((m.start(), f"{m.group('unit1').lower()} {m.group('n1')}"))
        else:
            n = m.group("n2") or m.group("n3")
            unit = _TIME_CANON[(m.group("unit2") or m.group("unit3")).lower()]
            if n in ("1",) and unit.endswith("s"):
                unit = unit[:-1]
            out.append((m.start(), f"{n} {unit}"))
    return out


def _nearest(items: list[tuple[int, Any]], pos: int) -> Any:
    if not items:
        return None
    return min(items, key=lambda t: (abs(t[0] - pos), t[0] > pos))[1]


def _nearest_before(items: list[tuple[int, Any]], pos: int) -> Any:
    before = [t for t in items if t[0] <= pos]
    if before:
        return before[-1][1]
    after = [t for t in items if t[0] > pos]
    return after[0][1] if after else None


def _valence(text: str, pos: int) -> str | None:
    """"good" or "bad": is the event before `pos` one to want more of?"""
    ox = lexicons.outcomes()
    cues = [(m.start(), "good") for m in ox.good_outcome.finditer(text)]
    cues += [(m.start(), "bad") for m in ox.bad_outcome.finditer(text)]
    cues.sort()
    return _nearest_before(cues, pos) if cues else None


def is_suspect(o: Outcome) -> bool:
    """An estimate outside its own CI, an inverted CI, a percentage > 100, a ratio <= 0."""
    is_rate = o.kind.endswith("_rate")
    if o.value is not None and o.unit == "%" and is_rate and (o.value > 100 or o.value < 0):
        return True
    if o.kind in ("odds_ratio", "hazard_ratio", "risk_ratio") and o.value is not None and o.value <= 0:
        return True
    if o.ci is not None:
        lo, hi = o.ci
        if lo > hi:
            return True
        if o.value is not None and not (lo <= o.value <= hi):
            return True
        if o.unit == "%" and is_rate and (hi > 100 or lo < 0):
            return True
    return False


def count_suspect(outcomes: Sequence[Outcome]) -> int:
    return sum(1 for o in outcomes if is_suspect(o))


class _Found:
    __slots__ = ("pos", "end", "o")

    def __init__(self, pos: int, end: int, o: Outcome):
        self.pos, self.end, self.o = pos, end, o


_RATE_WORDS = ("incidence", "rate", "rates", "proportion", "%", "occurred", "frequency", "number of patients")


def _p_only_kind(cue: str | None, low: str) -> str:
    """Kind of an outcome known only by its p-value: a rate kind only when the
    sentence speaks of a rate ("agitation scores" are not an event rate)."""
    if cue in ("response_rate", "remission_rate", "relapse_rate"):
        return cue
    if cue == "adverse_event_rate" and any(w in low for w in _RATE_WORDS):
        return cue
    return "other"




def _sentence_outcomes(i: int, text: str) -> list[Outcome]:
    if "·" in text or "•" in text:
        text = _MIDDOT.sub(".", text)            # "0·56" (Lancet style), same length
    low = lexicons.lowered(text)
    hints = _hints(text, low)
    if not any(hints.values()):
        return []
    ox = lexicons.outcomes()
    mx = lexicons.measures()
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    dir_hints: dict[int, str | None] = {}

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    measures = [(m.start(), name) for m, name in mx.names.finditer(text)]
    kinds = [(m.start(), kind) for m, kind in ox.kinds.finditer(text)]
    aes = [(m.start(), lexicons.norm_term(m.group(0))) for m in ox.adverse.finditer(text)]

    # ratios, effect sizes, mean differences (with CIs)
    for pattern, kind_of, hint in ((_RATIO, "ratio", "ratio"), (_ES, "effect_size", "es"),
                                   (_MD, "mean_difference", "md")):
        if not hints[hint]:
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if kind_of == "ratio":
                if re.match(r"\s*%", text[m.end():m.end() + 3]):
                    continue                     # "RR of 61.7%": a response rate, not a risk ratio
                head = m.group(0).strip().split()[0].lower()
                if head in ("aor", "ahr"):
                    head = head[1:]
                kind = next((k for key, k in _RATIO_KIND if head.startswith(key)), "odds_ratio")
            else:
                kind = kind_of
            end, unit = m.end(), None
            if kind == "mean_difference" and (pct := _PERCENT_UNIT.match(text, end)):
                kind, unit, end = "other", "%", pct.end()      # "difference was 12%": a risk difference
            ci, end = _ci_after(text, end)
            o = Outcome(sentence=i, kind=kind, value=_f(m.group("v")), ci=ci, unit=unit,
                        measure=_nearest_before(measures, m.start()))
            found.append(_Found(m.start(), end, o))
            taken.append((m.start(), end))
    for m in (_POINTS.finditer(text) if hints["points"] else ()):
        if free(m.start(), m.end()):
            ci, end = _ci_after(text, m.end(), near=45)   # "... lower with ketamine than midazolam (95% CI"
            arm_m = _arm_pattern().search(text, m.end(), m.end() + 40)
            arm = _arm_name(arm_m) if arm_m else None
            o = Outcome(sentence=i, kind="mean_difference", value=float(m.group("v")), unit="points",
                        ci=ci, measure=_nearest_before(measures, m.start()), arm=arm)
            word = m.group("d").lower()
            nxt = text[m.end():m.end() + 25].lower()
            if word in ("lower", "less", "fewer", "better"):
                hint = "benefit"
            elif word == "worse":
                hint = "harm"
            elif re.match(r"\s*(?:improvement|reduction|decrease|decline)", nxt):
                hint = "benefit"
            else:
                hint = None
            if hint and arm and not _is_intervention_arm(arm):
                hint = {"benefit": "harm", "harm": "benefit"}[hint]
            dir_hints[id(o)] = hint
            found.append(_Found(m.start(), end, o))
            taken.append((m.start(), end))
    for pattern, hint in ((_CHANGE, "change"), (_FELL, "fell")):
        if not hints[hint]:
            continue
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                ci, end = _ci_after(text, m.end())
                o = Outcome(sentence=i, kind="mean_change", value=_f(m.group("v")), ci=ci,
                            unit="points" if "point" in text[m.end() - 10:m.end() + 8] else None,
                            measure=_nearest_before(measures, m.start()))
                found.append(_Found(m.start(), end, o))
                taken.append((m.start(), end))

    # rates
    if kinds and hints["pct"]:
        rates: list[_Found] = []
        for m in _PCT.finditer(text):
            a, b = m.start(), m.end()
            if not free(a, b):
                continue
            after = text[b:b + 40]
            before = text[max(0, a - 25):a]
            if re.match(r"\s*(?:CI|CrI|confidence|credible)", after, re.I):
                continue
            if ox.definition_percent.search(after) or re.search(r"(?:≥|>=|>|at\s+least)\s*$", before):
                continue
            if re.search(r"\b(?:CI|to|[-–])\s*[-−–]?\s*\d+(?:\.\d+)?\s*%?\s*(?:to|,|[-–])?\s*$", before) \
                    and re.search(r"\(\s*(?:95\s?%\s?CI[:,]?\s*)?[^()]*$", before):
                continue                      # the upper bound of "(34-56%)"
            kind = _nearest_before([k for k in kinds], a)
            if kind is None:
                continue
            if "difference" in lexicons.lowered(text[max(0, a - 30):a]):
                kind = "other"                   # "risk difference 3%": a difference, not a rate
            ci, end = _ci_after(text, b, near=3)    # a rate's CI follows it at once
            measure = _nearest_before(measures, a)
            if kind == "adverse_event_rate":
                measure = _nearest_before(aes, a) or measure
            o = Outcome(sentence=i, kind=kind, value=float(m.group("v")), unit="%", ci=ci,
                        measure=measure)
            f = _Found(a, end, o)
            rates.append(f)
            found.append(f)
            taken.append((a, end))
        _assign_arms(text, rates)

    # p-values
    found.sort(key=lambda f: f.pos)
    last = 0
    for m in (_P.finditer(text) if hints["p"] else ()):
        p = _norm_p(m.group("op"), m.group("v"))
        pending = [f for f in found if f.pos < m.start() and f.pos >= last and f.o.p is None]
        if pending:
            for f in pending:
                f.o.p = p
        else:
            nxt = [f for f in found if f.pos > m.start() and f.o.p is None]
            if nxt and not any(f.pos < m.start() for f in found):
                nxt[0].o.p = p
            elif not any(f.pos < m.start() for f in found) or not found:
                kind = _p_only_kind(_nearest_before(kinds, m.start()), low)
                measure = _nearest_before(measures, m.start())
                if kind == "adverse_event_rate":
                    measure = _nearest_before(aes, m.start()) or measure
                found.append(_Found(m.start(), m.end(), Outcome(sentence=i, kind=kind, p=p, measure=measure)))
            else:
                # a second p-value after outcomes that already have one
                kind = _p_only_kind(_nearest_before(kinds, m.start()), low)
                found.append(_Found(m.start(), m.end(), Outcome(
                    sentence=i, kind=kind, p=p, measure=_nearest_before(measures, m.start()))))
        last = m.end()
    found.sort(key=lambda f: f.pos)
    if not found:
        return []
    times = _timepoints(text)
    for f in found:
        f.o.timepoint = _nearest(times, f.pos)
    _directions(text, [f.o for f in found], [f.pos for f in found], dir_hints)
    return [f.o for f in found]


def sentence_outcomes(text: str) -> list[Outcome]:
    """The outcomes one sentence reports, as `extract_outcomes` reads them."""
    return _sentence_outcomes(0, text)


# What an estimate is when there is no effect, by kind; a difference in
# percentage points ("risk difference 3%") is an `other` in "%".
_NO_EFFECT = {"odds_ratio": 1.0, "hazard_ratio": 1.0, "risk_ratio": 1.0,
              "mean_difference": 0.0, "effect_size": 0.0}


def ci_excludes_no_effect(o: Outcome) -> bool | None:
    """Whether the outcome's CI leaves out "no effect"; None without a CI or
    for an outcome that is no comparison (a rate, a change within a group)."""
    null = _NO_EFFECT.get(o.kind, 0.0 if o.kind == "other" and o.unit == "%" else None)
    if o.ci is None or null is None:
        return None
    lo, hi = sorted(o.ci)
    return not lo <= null <= hi


def _assign_arms(text: str, rates: list[_Found]) -> None:
    if not rates:
        return
    arm_re = _arm_pattern()
    if _RESPECTIVELY.search(text):
        arms = [m for m in arm_re.finditer(text, rates[-1].end)]
        names = [_arm_name(m) for m in arms]
        if len(names) >= len(rates):
            for f, n in zip(rates, names):
                f.o.arm = n
            return
    for f in rates:
        after = text[f.end:f.end + 45]
        m = re.match(r"\s*(?:\)\s*)?(?:,\s*)?(?:with|in|for|on|among|receiving|of|given)\s+(?:the\s+)?"
                     r"(?:patients\s+(?:receiving|given|treated\s+with|in)\s+(?:the\s+)?)?", after, re.I)
        if m:
            am = arm_re.match(after, m.end())
            if am:
                f.o.arm = _arm_name(am)
                continue
        before = text[max(0, f.pos - 45):f.pos]
        cands = list(arm_re.finditer(before))
        if cands:
            last = cands[-1]
            gap = before[last.end():]
            if re.fullmatch(r"\s*(?:\(|:|,|=|was|were|had|showed|reached|achieved|vs\.?|versus|\d+/\d+|\(\s*\d+/\d+|[\s(])*", gap, re.I):
                f.o.arm = _arm_name(last)


def _directions(text: str, outs: list[Outcome], positions: list[int],
                hints: dict[int, str | None] | None = None) -> None:
    ox = lexicons.outcomes()
    no_diff = ox.no_difference.search(text) is not None
    benefit = ox.benefit.search(text) is not None
    harm = ox.harm.search(text) is not None
    sig_words = ox.significant.search(text) is not None
    for o, pos in zip(outs, positions):
        if is_suspect(o):
            o.direction = None
            continue
        sig = p_is_significant(o.p)
        if o.kind in ("odds_ratio", "hazard_ratio", "risk_ratio"):
            null = 1.0
        elif o.kind in ("mean_difference", "effect_size", "mean_change"):
            null = 0.0
        else:
            null = None
        if null is not None and o.ci is not None:
            lo, hi = o.ci
            if lo <= null <= hi:
                o.direction = "no_difference"
                continue
            sig = True
        if sig is False or (sig is None and no_diff and not benefit):
            o.direction = "no_difference"
            continue
        if not (sig or (sig is None and sig_words)):
            o.direction = None
            continue
        if o.kind in ("odds_ratio", "hazard_ratio", "risk_ratio") and o.value is not None:
            val = "bad" if o.kind == "relapse_rate" else _valence(text, pos)
            up = o.value > 1
            o.direction = None if val is None else ("benefit" if (val == "good") == up else "harm")
        elif o.kind in ("response_rate", "remission_rate", "relapse_rate", "adverse_event_rate"):
            o.direction = _rate_direction(o, outs)
        elif hints and hints.get(id(o)):
            o.direction = hints[id(o)]
        else:
            o.direction = "harm" if harm and not benefit else ("benefit" if benefit else None)


def _rate_direction(o: Outcome, outs: list[Outcome]) -> str | None:
    if o.value is None or o.arm is None:
        return None
    others = [x for x in outs if x is not o and x.kind == o.kind and x.arm and x.arm != o.arm
              and x.value is not None and x.measure == o.measure]
    if not others:
        return None
    mine_is_int = _is_intervention_arm(o.arm)
    other = others[0]
    if mine_is_int == _is_intervention_arm(other.arm):
        return None
    int_v, ctl_v = (o.value, other.value) if mine_is_int else (other.value, o.value)
    if int_v == ctl_v:
        return "no_difference"
    good = o.kind in ("response_rate", "remission_rate")
    return "benefit" if (int_v > ctl_v) == good else "harm"


def extract_outcomes(sentences: Sequence[Any], doc: Document | None = None) -> list[Outcome]:
    """Outcomes in `sentences` (strings or `Sentence`s; index = position or `.i`).

    `doc` is accepted for callers that have it; registry results are read
    from the record's data by `registry_results`, not from sentences."""
    out: list[Outcome] = []
    for k, s in enumerate(sentences):
        text = s if isinstance(s, str) else s.text
        i = k if isinstance(s, str) else int(getattr(s, "i", k))
        if not re.search(r"\d", text):
            continue
        out.extend(_sentence_outcomes(i, text))
    return out


# ------------------------------------------------------ registry results
# ClinicalTrials.gov posted results, as flows/sources/parsers/ctgov_json.py
# normalises them: every number is taken from the data (never re-read from
# text), and a sentence that renders it is returned with it, so each outcome
# keeps a sentence a reader can check.

@cache
def _registry_lexicon() -> tuple[tuple[tuple[str, str], ...], re.Pattern[str], re.Pattern[str]]:
    """(analysis type words -> kind, percent units, people units) from outcomes.toml."""
    lx = lexicons.load("outcomes")["registry"]
    return (tuple((k, v) for k, v in lx["analysis_kinds"]),
            re.compile("|".join(map(re.escape, lx["percent_units"])), re.I),
            re.compile("|".join(map(re.escape, lx["people_units"])), re.I))


def _fmt(v: Any) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def _registry_measure(title: str, category: str | None) -> str:
    """The scale the measure names (MADRS), else its title; with its category."""
    named = next((name for _, name in lexicons.measures().names.finditer(title)), None)
    base = named or title.strip()
    return f"{base}: {category}" if category else base


def _registry_kind(title: str, unit: str | None) -> str:
    low = lexicons.lowered(title)
    if _registry_lexicon()[1].search(unit or ""):
        cue = next((k for _, k in lexicons.outcomes().kinds.finditer(title)
                    if k in ("response_rate", "remission_rate", "relapse_rate")), None)
        if cue:
            return cue
    return "mean_change" if "change from baseline" in low or "change in" in low else "other"


def _analysis_kind(param_type: str | None) -> str:
    low = (param_type or "").lower()
    return next((k for key, k in _registry_lexicon()[0] if key in low), "other")


def _measure_results(om: dict[str, Any], i: int) -> tuple[str, list[Outcome], list[str]]:
    """One outcome measure: its sentence, its arm values, and its analyses'
    sentences (outcomes for those are built by `_analysis_results`)."""
    title = str(om.get("title") or "outcome")
    unit = om.get("unit")
    groups = {g.get("id"): g for g in om.get("groups") or []}
    kind = _registry_kind(title, unit)
    # "percentage of participants" is a rate in %; "% body mass" keeps its unit
    _, percent, people = _registry_lexicon()
    is_pct = kind.endswith("_rate") or bool(percent.search(unit or "") and people.search(unit or ""))
    outs, parts = [], []
    for v in om.get("values") or []:
        value = v.get("value") if isinstance(v.get("value"), (int, float)) else None
        g = groups.get(v.get("group")) or {}
        arm = g.get("title") or v.get("group")
        if value is None:
            continue
        outs.append(Outcome(sentence=i, kind=kind, measure=_registry_measure(title, v.get("category")),
                            arm=arm, value=float(value), unit="%" if is_pct else unit,
                            timepoint=om.get("time_frame")))
        n = f" (n={g['n']})" if g.get("n") is not None else ""
        cat = f"{v['category']}, " if v.get("category") else ""
        parts.append(f"{cat}{arm} {_fmt(value)}{n}")
    head = str(om.get("type") or "").capitalize() or "Outcome"
    frame = f" at {om['time_frame']}" if om.get("time_frame") else ""
    sentence = f"{head} outcome result, {title}{frame} ({unit or 'no unit'}): {'; '.join(parts)}."
    return sentence, outs, [_analysis_sentence(title, a, groups) for a in om.get("analyses") or []]


def _analysis_sentence(title: str, a: dict[str, Any], groups: dict[Any, Any]) -> str:
    arms = " vs ".join(str((groups.get(g) or {}).get("title") or g) for g in a.get("groups") or [])
    est = f"{a['param_type'] or 'estimate'} {_fmt(a['param_value'])}" if a.get("param_value") is not None else ""
    ci = (f" ({_fmt(a.get('ci_pct') or 95)}% CI {_fmt(a['ci_lower'])} to {_fmt(a['ci_upper'])})"
          if isinstance(a.get("ci_lower"), (int, float)) and isinstance(a.get("ci_upper"), (int, float)) else "")
    p = f", p {a['p_value']}" if a.get("p_value") else ""
    return f"Analysis of {title}{' (' + arms + ')' if arms else ''}: {est}{ci}{p}.".replace(": ,", ":")


def _analysis_results(om: dict[str, Any], a: dict[str, Any], i: int) -> Outcome:
    lo, hi = a.get("ci_lower"), a.get("ci_upper")
    ci = (float(lo), float(hi)) if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) else None
    value = a.get("param_value") if isinstance(a.get("param_value"), (int, float)) else None
    groups = {g.get("id"): g.get("title") for g in om.get("groups") or []}
    arms = " vs ".join(str(groups.get(g) or g) for g in a.get("groups") or []) or None
    o = Outcome(sentence=i, kind=_analysis_kind(a.get("param_type")),
                measure=_registry_measure(str(om.get("title") or "outcome"), None), arm=arms,
                value=float(value) if value is not None else None, ci=ci,
                p=norm_registry_p(a.get("p_value")), timepoint=om.get("time_frame"))
    o.direction = _registry_direction(o)
    return o


def _registry_direction(o: Outcome) -> str | None:
    """no_difference when the analysis says so; which arm a significant
    difference favours cannot be told from a registry analysis alone."""
    if is_suspect(o):
        return None
    null = 1.0 if o.kind in ("odds_ratio", "hazard_ratio", "risk_ratio") else 0.0
    if o.ci is not None and o.kind != "other" and o.ci[0] <= null <= o.ci[1]:
        return "no_difference"
    return "no_difference" if p_is_significant(o.p) is False else None


def _adverse_event_results(ae: dict[str, Any], i: int) -> tuple[list[str], list[Outcome]]:
    """One sentence per event term that affected anyone; a rate per group."""
    sentences, outs = [], []
    for seriousness in ("serious", "other"):
        by_term: dict[str, list[dict[str, Any]]] = {}
        for row in ae.get(seriousness) or []:
            by_term.setdefault(str(row.get("term") or "adverse event"), []).append(row)
        for term, rows in by_term.items():
            if not any(r.get("affected") for r in rows):
                continue
            k = i + len(sentences)
            parts = []
            for r in rows:
                if not r.get("at_risk"):
                    continue
                pct = round(100.0 * (r.get("affected") or 0) / r["at_risk"], 1)
                outs.append(Outcome(sentence=k, kind="adverse_event_rate", measure=term.lower(),
                                    arm=r.get("group"), value=pct, unit="%"))
                parts.append(f"{r.get('group')} {r.get('affected') or 0}/{r['at_risk']} ({_fmt(pct)}%)")
            sentences.append(f"Adverse event ({seriousness}), {term}: {'; '.join(parts)}.")
    return sentences, outs


def registry_results(trial: dict[str, Any] | None, first: int) -> tuple[list[str], list[Outcome]]:
    """Sentences and outcomes for a registry record's posted results; the
    sentences are numbered from `first` (they follow the record's own text).
    Arm values, analyses (estimate, CI, p as posted: "<0.0001") and adverse
    events (as adverse_event_rate per group)."""
    results = (trial or {}).get("results")
    if not isinstance(results, dict):
        return [], []
    sentences: list[str] = []
    outs: list[Outcome] = []
    for om in results.get("outcome_measures") or []:
        if not om.get("values") and not om.get("analyses"):
            continue
        sentence, values, analyses = _measure_results(om, first + len(sentences))
        sentences.append(sentence)
        outs.extend(values)
        for a, text in zip(om.get("analyses") or [], analyses):
            outs.append(_analysis_results(om, a, first + len(sentences)))
            sentences.append(text)
    ae_sentences, ae_outs = _adverse_event_results(results.get("adverse_events") or {}, first + len(sentences))
    return sentences + ae_sentences, outs + ae_outs


__all__ = ["extract_outcomes", "registry_results", "is_suspect", "count_suspect", "p_is_significant",
           "p_values", "norm_registry_p"]
