"""Amounts stated in a claim: percentages, fractions, money, durations, counts, doses.

Each amount becomes a `Quantity(value, unit, op)`; `op` comes from the words
just before it (`data/lexicons/quantities.toml`): "over 70%" -> (70, "%", ">"),
"more than half" -> (50, "%", ">"), "two-thirds" -> (66.7, "%", "~"),
"up to 80%" -> (80, "%", "<"), "within 24 hours" -> (24, "hours", "<"),
"$400" -> (400, "USD", "="), "$4.3 million" -> (4300000, "USD", "="),
"six injections" -> (6, "injections", "="), "twice a week" and "three
sessions per week" -> (2 or 3, "per week", "="), "tenfold" and "30- to 50-fold"
-> (10 or 30, "times", ...), "7 out of 10 patients" -> (70, "%", "~"). A
range ("60-70%", "45 to 60 minutes") is its lower bound with "~"; "or more"
("60% or greater") after an amount makes it a minimum, "or less" a maximum. "Over" before a duration is a span,
not a minimum ("lower scores over 12 weeks", "infused over 40 minutes"),
unless "for", "of" or "in" comes first ("used for over 50 years").
Words such as "most" are no amounts. In study results a mean keeps the unit
written after its spread ("23.1 ± 6.7 minutes", "21.38 (SD = 14.38) mg",
"8 (5-11) h"), amounts listed before a unit share it ("43.3 vs 46.7 mm Hg"
gives both), and "<", "≤", ">", "≥" are operators like "under" and "over".
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Callable

from data import lexicons
from data.lexicons import phrases_regex
from data.records import Quantity

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_SIGNED = rf"(?:[-−](?=[\d.]))?(?:{_NUM})"     # "−4.0 points": scraped minus signs kept
_CI_AFTER = re.compile(r"\s*(?:CI\b|confiden)", re.I)   # "95% CI", "95% confidential interval": no result
_RANGE_SEP = r"\s*(?:-|–|—|to|or)\s*"
_SPAN_OVER = re.compile(r"(?:^|\s)(?P<before>[\w-]+)?\s*\bover\s*$", re.I)
_ATTRIBUTIVE = re.compile(r"(?:\d+(?:\.\d+)?|[a-z]+)-(?:minute|hour|day|week|month|year)\b", re.I)
_FREQUENCY = re.compile(r"\b(?:once|twice|times|per|every|minutes?|hours?|days?|sessions?|infusions?|doses?)\s*$",
                        re.I)   # "once a month", "24 hours a day": "a month", "a day" is a rate
# After an amount: "60% or greater" is a minimum, "two or fewer" a maximum.
_OR_MORE = re.compile(r"\s*(?:or|and)\s+(?:more|greater|higher|above|over|longer|older)\b", re.I)
_OR_LESS = re.compile(r"\s*(?:or|and)\s+(?:less|fewer|lower|below|under|shorter|younger)\b", re.I)
_MIDDLE_DOT = re.compile(r"(?<=\d)[·•](?=\d)")
_MEAN_SD = re.compile(rf"(?<![\d.])({_SIGNED})\s*(?:±|\+/-|\+-)\s*$")   # "23.1 ± " before an SD
# A spread in brackets between an amount and its unit: "21.38 (SD = 14.38) mg",
# "8 (5-11) h", "978 [664–1385] pg/mL". It is rewritten, at the same length,
# as "± 14.38", so that the unit reaches the amount as in "23.1 ± 6.7 minutes".
_BRACKETED_SPREAD = re.compile(
    rf"(?<=\d)(?P<open>\s*[(\[]\s*(?:SD\s*[=:]?\s*|{_SIGNED}\s*(?:-|–|—|to)\s*))"
    rf"(?P<end>{_NUM})\s*[)\]](?=\s?[^\W\d_])", re.I)
# The first of two or more amounts that share the unit of the last: "43.3 vs
# 46.7 mm Hg", "500 ± 190 and 730 ± 260 min", "5.76, 5.77 and 5.80 mmol/L".
_SD = rf"(?:\s*±\s*(?:{_NUM}))?"
_SHARES_NEXT_UNIT = re.compile(
    rf"(?<![\w.,\-–—])({_SIGNED}){_SD}\s*(?P<sep>,\s+|\s(?:vs\.?|versus|and|compared\s+(?:with|to))\s+)$", re.I)
_STATISTIC_BEFORE = re.compile(r"(?:[=<>≤≥:]|\bp)\s*$", re.I)   # "p = 0.001 and 30 minutes"
# "between $400 and $800", "between 60 and 70%": the first amount is a range's lower bound.
_BETWEEN = re.compile(r"\bbetween\s+(?:about\s+|around\s+)?$", re.I)
_AND_NUMBER = re.compile(r"\s*(?:%|percent\b)?\s*and\s+(?:US)?\$?\s?\d", re.I)
# "twice a week", "3 times per month", "five days a week", "two sessions weekly":
# a rate per period ("once a week" has no numeral, like "a single infusion").
_MULTIPLIERS = {"twice": 2.0, "thrice": 3.0}
_TWICE_AS = re.compile(r"(?<![\w.])(twice|thrice)(?=\s+as\b)", re.I)   # "twice as likely"
_PERIODS = {"week": "per week", "weekly": "per week", "month": "per month",
            "monthly": "per month", "day": "per day", "daily": "per day"}
# Who a fraction written "N out of M" / "N in M" counts.
_PEOPLE = (r"patients|people|persons|individuals|participants|clients|subjects|users|veterans|"
           r"adults|children|adolescents|women|men|those|sufferers|cases|americans|responders")
# After these words "over 50 years" is more than 50 years ("used for over 50
# years", "with over 50 years of use"); after others it is a span.
_MINIMUM_OVER = {"for", "of", "in", "than", "with", "after", "by", "at", "to", "and", "or",
                 "since", "been", "has", "have", "had", "is", "are", "was", "were"}


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lx = lexicons.quantities()
    words = "|".join(sorted((w for w in lx.number_words if w not in ("a", "an")),
                            key=len, reverse=True))
    wordnum = rf"(?:{words})(?:[\s-](?:{words}))?"
    units = _alternation(lx.time_units)
    nouns = _alternation(lx.count_nouns)
    scales = _alternation(lx.scales)
    doses = "|".join(re.escape(u).replace("µ", "[µμ]")     # micro sign or Greek mu
                     for u in sorted(lx.dose_units, key=len, reverse=True))
    measures = "|".join(r"\s?".join(map(re.escape, u)).replace("µ", "[µμ]")   # "mmHg", "mm Hg"
                        for u in sorted(lx.measure_units, key=len, reverse=True))
    num_or_word = rf"(?:{_NUM}|{wordnum}|an?)"
    per = r"(?:(?:a|per|each|every|/)\s*(?P<p>week|month|day)\b|(?P<q>weekly|monthly|daily)\b)"
    return {
        "frequency": re.compile(
            rf"(?<![\w.])(?:(?P<m>twice|thrice)|(?P<a>{_NUM}|{wordnum})\s*(?:times?|x|(?:{nouns}|days|visits))"
            rf")\s+{per}", re.I),
        "fold": re.compile(
            rf"(?<![\w.])(?P<a>{_NUM}|{wordnum})(?:-?\s*(?:to|-|–|or)\s*(?P<b>{_NUM}|{wordnum}))?\s*-?\s*fold\b",
            re.I),
        "percent_between": re.compile(
            rf"(?<=between\s)(?P<a>{_NUM})\s?%?\s+and\s+(?P<b>{_NUM})\s?(?:%|percent\b|per\s?cent\b)", re.I),
        "times_x": re.compile(rf"(?<![\w.$])(?P<a>{_NUM})\s?[x×](?=\s+(?:more|higher|greater|faster|better|less|lower|as)\b)",
                              re.I),
        "slash_fraction": re.compile(r"(?<![\w./])(?P<a>\d{1,2})/(?P<b>\d{1,3})(?:rd|th|nd)?(?=\s+of\b)", re.I),
        "percent_words": re.compile(rf"(?<![\w-])(?P<a>{wordnum})\s+(?:percent|per\s?cent)\b", re.I),
        "out_of": re.compile(
            rf"(?<![\w.])(?P<a>\d{{1,3}}|{wordnum})\s+(?:(?P<of>out\s+of)|in)\s+(?P<b>\d{{1,4}}|{wordnum})"
            rf"(?=\s+(?:of\s+(?:the|these|those|our)\s+)?(?:{_PEOPLE})\b|(?(of)|(?!)))", re.I),
        "percent": re.compile(
            rf"(?<![\w.])(?<!\w[-−])(?P<a>{_SIGNED})(?:\s?%?{_RANGE_SEP}(?P<b>{_NUM}))?\s?(?:%|percent\b|per\s?cent\b)",
            re.I),
        "usd": re.compile(
            rf"(?:US)?\$\s?(?P<a>{_NUM})(?:\s?(?P<sa>{scales})\b)?"
            rf"(?:{_RANGE_SEP}(?:US)?\$?\s?(?P<b>{_NUM})(?:\s?(?P<sb>{scales})\b)?)?"
            rf"|(?<![\w.])(?P<c>{_NUM})\s?(?:USD|dollars)\b", re.I),
        "time": re.compile(
            rf"(?<![\w.])(?<!\w[-−])(?P<a>{num_or_word})(?:{_RANGE_SEP}(?P<b>{num_or_word}))?[\s-]*(?P<u>{units})\b",
            re.I),
        "count": re.compile(
            rf"(?<![\w.])(?<!\w[-−])(?P<a>{_SIGNED}|{wordnum})(?:{_RANGE_SEP}(?P<b>{_NUM}|{wordnum}))?[\s-]+(?P<u>{nouns})\b",
            re.I),
        "dose": re.compile(
            rf"(?<![\w.])(?<!\w[-−])(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s?(?P<u>{doses})\b",
            re.I),
        "measure": re.compile(
            rf"(?<![\w.])(?<!\w[-−])(?P<a>{_SIGNED})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s?(?P<u>{measures})(?![\w/])",
            re.I),
        "fraction": re.compile(
            rf"(?<![\w-])(?P<f>{phrases_regex(lx.fractions, bounded=False)})"
            rf"(?=\s+of\b|\s+(?:the\s+)?(?:patients|people|individuals|participants|clients|"
            rf"subjects|users|veterans|adults|women|men|those|sufferers|cases)\b)",
            re.I),
        "fraction_after_op": re.compile(
            rf"(?<![\w-])(?P<f>{phrases_regex(lx.fractions, bounded=False)})(?![\w-])(?!\s+(?:an?\s+)?(?:hour|day|life|dose))",
            re.I),
    }


def parse_number(tok: str | None) -> float | None:
    """A number written in digits ("1,200", ".5") or words ("Fifty-seven",
    "one hundred and twenty"); None when it is neither."""
    if tok is None:
        return None
    t = lexicons.lowered(tok.strip()).replace(",", "").replace("−", "-")     # typeset hyphens made plain
    try:
        return float(t)
    except ValueError:
        pass
    words = lexicons.quantities().number_words
    total, current, seen = 0, 0, False
    for part in re.split(r"[\s-]+", t):
        if part == "and" and seen:
            continue
        if part not in words:
            return None
        v = words[part]
        seen = True
        if v == 100:
            current = max(current, 1) * 100
        elif v == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += v
    return float(total + current) if seen else None


def _as_spread(m: re.Match[str]) -> str:
    return "±" + " " * (len(m.group(0)) - 1 - len(m.group("end"))) + m.group("end")


def _op_before(text: str, start: int) -> str | None:
    window = text[max(0, start - 30):start]
    stripped = window.rstrip()
    if not stripped:
        return None
    for op, pattern in lexicons.quantities().ops.items():
        for m in pattern.finditer(stripped):
            if m.end() == len(stripped):
                return op
    return None


def _over_is_span(text: str, start: int) -> bool:
    """"scores over 12 weeks" is a span; "for over 50 years" and a sentence
    opening on "Over 50 years" are minimums (see `_MINIMUM_OVER`)."""
    m = _SPAN_OVER.search(text[max(0, start - 30):start])
    return m is not None and m.group("before") is not None \
        and m.group("before").lower() not in _MINIMUM_OVER


def _value(a: float, b: float | None) -> tuple[float, bool]:
    """A single amount, or a range as its lower bound (and whether it was a range)."""
    if b is None or b == a:
        return a, False
    return min(a, b), True


def _scaled(num: str | None, scale: str | None) -> float | None:
    v = parse_number(num)
    if v is None or not scale:
        return v
    return v * lexicons.quantities().scales.get(scale.lower(), 1.0)


class _Found:
    """Amounts found so far in one text; an amount never overlaps an earlier one."""

    def __init__(self, text: str):
        self.text = text
        self.items: list[tuple[int, Quantity]] = []
        self.taken: list[tuple[int, int]] = []

    def add(self, m: re.Match[str], value: float, unit: str, ranged: bool,
            default_op: str = "=", pos: int | None = None, op: str | None = None) -> None:
        a, b = m.span()
        if any(a < y and b > x for x, y in self.taken):
            return
        pos = m.start() if pos is None else pos
        if mean := _MEAN_SD.search(self.text, 0, pos):     # "23.1 ± 6.7 minutes": the unit is the mean's
            value, pos, a = parse_number(mean.group(1)) or 0.0, mean.start(1), mean.start(1)
        op = op or _op_before(self.text, pos)
        if ranged:
            op = "~" if op in (None, "=") else op
        if op in (None, "="):
            op = ">" if _OR_MORE.match(self.text, b) else "<" if _OR_LESS.match(self.text, b) else op
        if op in (None, "=") and _BETWEEN.search(self.text, 0, pos) and _AND_NUMBER.match(self.text, b):
            op = "~"                     # "between $400 and $800": a range, its lower bound
        self.items.append((pos, Quantity(value=value, unit=unit, op=op or default_op)))
        self.taken.append((a, b))
        self._add_sharers(pos, unit)

    def _add_sharers(self, pos: int, unit: str) -> None:
        """The amounts before the one at `pos` that share its unit ("43.3 vs
        46.7 mm Hg"); a comma lists them only before a conjunction ("5.76,
        5.77 and 5.80 mmol/L"), never alone ("In 2019, 30 patients")."""
        listing = False
        while (m := _SHARES_NEXT_UNIT.search(self.text, 0, pos)) and (listing or "," not in m.group("sep")):
            a = m.start(1)
            value = parse_number(m.group(1))
            if value is None or _STATISTIC_BEFORE.search(self.text, 0, a) \
                    or any(a < y and pos > x for x, y in self.taken):
                return
            op = "~" if _BETWEEN.search(self.text, 0, a) else _op_before(self.text, a) or "="
            self.items.append((a, Quantity(value=value, unit=unit, op=op)))
            self.taken.append((a, m.end(1)))
            pos, listing = a, True


def _money(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    for m in pats["usd"].finditer(found.text):
        if m.group("c"):
            found.add(m, float(m.group("c").replace(",", "")), "USD", False)
            continue
        a = _scaled(m.group("a"), m.group("sa"))
        if a is None:
            continue
        b = _scaled(m.group("b"), m.group("sb") or m.group("sa"))
        v, ranged = _value(a, b)
        found.add(m, v, "USD", ranged)


def _percents(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    for m in pats["percent_between"].finditer(found.text):     # "between 60 and 70%"
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and b is not None:
            found.add(m, min(a, b), "%", True)
    for m in pats["percent"].finditer(found.text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and not _CI_AFTER.match(found.text, m.end()):
            v, ranged = _value(a, b)
            found.add(m, v, "%", ranged)


@cache
def _fractions_spaced() -> dict[str, float]:
    """The lexicon's fractions with hyphens as spaces: "one-quarter" is also
    written "one quarter"."""
    return {k.replace("-", " "): v for k, v in lexicons.quantities().fractions.items()}


def _fraction_value(phrase: str) -> float | None:
    return _fractions_spaced().get(lexicons.norm_term(phrase).replace("-", " "))


def _fractions(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    for m in pats["fraction"].finditer(found.text):
        v = _fraction_value(m.group("f"))
        if v is not None:
            found.add(m, v, "%", False, "~")
    for m in pats["fraction_after_op"].finditer(found.text):   # "more than half"
        v = _fraction_value(m.group("f"))
        if v is not None and _op_before(found.text, m.start()) in (">", "<", "~"):
            found.add(m, v, "%", False, "~")


def _frequencies(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    """"twice a week", "3 times per month", "five days a week" -> (n, "per week")."""
    for m in pats["frequency"].finditer(found.text):
        v = _MULTIPLIERS.get((m.group("m") or "").lower()) or parse_number(m.group("a"))
        if v is not None:
            found.add(m, v, _PERIODS[(m.group("p") or m.group("q")).lower()], False)


def _folds(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    """"tenfold", "10-fold", "30- to 50-fold" -> times."""
    _unit_amounts(found, pats["fold"], "times")


def _times_x(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    """"3x more likely", "twice as likely" -> (3 or 2, "times")."""
    _unit_amounts(found, pats["times_x"], "times")
    for m in _TWICE_AS.finditer(found.text):
        found.add(m, _MULTIPLIERS[m.group(1).lower()], "times", False)


def _slash_fractions(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    """"1/3 of patients" -> (33.3, "%", "~"), like the fractions in words."""
    if "/" not in found.text:
        return
    for m in pats["slash_fraction"].finditer(found.text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and b and 0 < a < b:
            found.add(m, round(100.0 * a / b, 1), "%", False, "~")


def _word_percents(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    """"fifty percent"."""
    _unit_amounts(found, pats["percent_words"], "%")


def _out_of(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    """"7 out of 10 patients", "two in three people" -> a share in %, "~"
    like the fractions of the lexicon."""
    for m in pats["out_of"].finditer(found.text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and b and 0 < a < b:
            found.add(m, round(100.0 * a / b, 1), "%", False, "~")


def _durations(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    units = lexicons.quantities().time_units
    text = found.text
    for m in pats["time"].finditer(text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or (m.group("a").lower() in ("a", "an") and (m.group("b") or _FREQUENCY.search(text, 0, m.start()))):
            continue                     # "a day or two"; "once a month" is a frequency
        start = m.start()
        if m.group("a").lower() in ("a", "an") and text[max(0, start - 5):start].lower().endswith("half "):
            a, start = 0.5, start - 5            # "half an hour"
        v, ranged = _value(a, b)
        span_op = "=" if _over_is_span(text, m.start()) else None
        found.add(m, v, units[m.group("u").lower()], ranged, pos=start, op=span_op)


def _unit_amounts(found: _Found, pattern: re.Pattern[str], unit: str | Callable[[str], str]) -> None:
    """Amounts of `pattern`: number group a, and b for a range's other end;
    `unit` is the unit recorded, or maps the unit group u as written to it."""
    for m in pattern.finditer(found.text):
        groups = m.groupdict()
        a, b = parse_number(groups["a"]), parse_number(groups.get("b"))
        if a is not None:
            v, ranged = _value(a, b)
            found.add(m, v, unit if isinstance(unit, str) else unit(groups["u"]), ranged)


def _counts(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    nouns = lexicons.quantities().count_nouns
    _unit_amounts(found, pats["count"], lambda u: nouns[u.lower()])


def _doses(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    _unit_amounts(found, pats["dose"], lambda u: u.lower().replace("μ", "µ"))


def _measures(found: _Found, pats: dict[str, re.Pattern[str]]) -> None:
    units = lexicons.quantities().measure_units
    _unit_amounts(found, pats["measure"], lambda u: units[lexicons.unit_key(u)])


def attributive(text: str, pos: int) -> bool:
    """Is the amount at `pos` glued to its unit as a modifier ("a 4-day
    infusion", "a 3-hour session")? Such an amount describes the treatment
    rather than stating a result."""
    return _ATTRIBUTIVE.match(text, pos) is not None


def find_quantities(text: str) -> list[tuple[int, Quantity]]:
    """Every amount in `text` as (position, Quantity), in order of position.
    Kinds are searched in this order, so money and percentages win overlaps."""
    return list(_find_quantities(text))


@lru_cache(maxsize=8192)
def _find_quantities(text: str) -> tuple[tuple[int, Quantity], ...]:
    if not _gate().search(text):        # no digit, number word or fraction: no amount
        return ()
    pats = _patterns()
    # "50·3%" is a decimal point; "8 (5-11) h" is "8 ±   11 h" (same length, same positions)
    found = _Found(_BRACKETED_SPREAD.sub(_as_spread, _MIDDLE_DOT.sub(".", text)))
    for kind in (_money, _percents, _word_percents, _fractions, _slash_fractions, _out_of, _frequencies,
                 _folds, _times_x, _durations, _counts, _doses, _measures):
        kind(found, pats)
    return tuple(sorted(found.items, key=lambda t: t[0]))


@cache
def _gate() -> re.Pattern[str]:
    """Texts that may hold an amount: a digit, a number word ("an hour"
    included), a fraction word or a multiplier."""
    lx = lexicons.quantities()
    words = [w for w in lx.number_words if w not in ("a", "an")] + ["twice", "thrice", "half", "third",
                                                                     "thirds", "quarter", "quarters"]
    units = _alternation(lx.time_units)
    return re.compile(rf"\d|\b(?:{_alternation(words)})|\ban?[\s-]+(?:{units})\b", re.I)


def pick_quantity(text: str, preferred_units: tuple[str, ...] = ()) -> Quantity | None:
    """The amount a claim rests on: the first in a preferred unit, else the first."""
    qs = [q for _, q in find_quantities(text)]
    if not qs:
        return None
    for q in qs:
        if q.unit in preferred_units:
            return q
    return qs[0]
