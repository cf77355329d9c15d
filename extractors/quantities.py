"""Amounts stated in a claim: percentages, fractions, money, durations, doses.

Each amount becomes a `Quantity(value, unit, op)`; `op` comes from the words
just before it (`data/lexicons/quantities.toml`): "over 70%" -> (70, "%", ">"),
"more than half" -> (50, "%", ">"), "two-thirds" -> (66.7, "%", "~"),
"up to 80%" -> (80, "%", "<"), "within 24 hours" -> (24, "hours", "<"),
"$400" -> (400, "USD", "="). A range ("60-70%", "$400 to $800") becomes its
midpoint with "~".
"""
from __future__ import annotations

import re
from functools import cache

from data import lexicons
from data.lexicons import phrases_regex
from data.records import Quantity

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_RANGE_SEP = r"\s*(?:-|–|—|to|or)\s*"
_ADMIN_OVER = re.compile(r"(?:infus\w*|administ\w*|given|deliver\w*|spread(?:\s+out)?|drip\w*|mg(?:/kg)?|dose\w*)"
                         r"[^.;]{0,12}\bover\s*$", re.I)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lx = lexicons.quantities()
    words = "|".join(sorted((w for w in lx.number_words if w not in ("a", "an")),
                            key=len, reverse=True))
    wordnum = rf"(?:{words})(?:[\s-](?:{words}))?"
    units = "|".join(sorted(map(re.escape, lx.time_units), key=len, reverse=True))
    num_or_word = rf"(?:{_NUM}|{wordnum}|an?)"
    return {
        "percent": re.compile(
            rf"(?<![\w.])(?P<a>{_NUM})(?:\s?%?{_RANGE_SEP}(?P<b>{_NUM}))?\s?(?:%|percent\b|per\s?cent\b)",
            re.I),
        "usd": re.compile(
            rf"(?:US)?\$\s?(?P<a>{_NUM})\s?(?P<ka>[kK]\b)?(?:{_RANGE_SEP}(?:US)?\$?\s?(?P<b>{_NUM})\s?(?P<kb>[kK]\b)?)?"
            rf"|(?<![\w.])(?P<c>{_NUM})\s?(?:USD|dollars)\b", re.I),
        "time": re.compile(
            rf"(?<![\w.])(?P<a>{num_or_word})(?:{_RANGE_SEP}(?P<b>{num_or_word}))?[\s-]*(?P<u>{units})\b",
            re.I),
        "count": re.compile(
            rf"(?<![\w.])(?P<a>{_NUM}|{wordnum})(?:{_RANGE_SEP}(?P<b>{_NUM}|{wordnum}))?\s+(?P<u>infusions|sessions|treatments|injections|doses)\b",
            re.I),
        "dose": re.compile(
            rf"(?<![\w.])(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s?(?P<u>mg/kg(?:/h)?|mcg/kg|µg/kg|μg/kg|mg)\b",
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
    t = tok.strip().lower().replace(",", "")
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


_number = parse_number


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


def _value(a: float, b: float | None) -> tuple[float, bool]:
    if b is None or b == a:
        return a, False
    return round((a + b) / 2, 3), True


def find_quantities(text: str) -> list[tuple[int, Quantity]]:
    """Every amount in `text` as (position, Quantity), in order of position."""
    pats = _patterns()
    out: list[tuple[int, Quantity]] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    def add(m: re.Match[str], value: float, unit: str, ranged: bool,
            default_op: str = "=", pos: int | None = None) -> None:
        if not free(m.span()):
            return
        pos = m.start() if pos is None else pos
        op = _op_before(text, pos)
        if ranged:
            op = "~" if op in (None, "=") else op
        out.append((pos, Quantity(value=value, unit=unit, op=op or default_op)))
        taken.append(m.span())

    for m in pats["usd"].finditer(text):
        if m.group("c"):
            add(m, float(m.group("c").replace(",", "")), "USD", False)
            continue
        a = _number(m.group("a"))
        b = _number(m.group("b"))
        if a is None:
            continue
        a *= 1000 if m.group("ka") else 1
        if b is not None:
            b *= 1000 if (m.group("kb") or m.group("ka")) else 1
        v, ranged = _value(a, b)
        add(m, v, "USD", ranged)
    for m in pats["percent"].finditer(text):
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is None:
            continue
        v, ranged = _value(a, b)
        add(m, v, "%", ranged)
    fr = lexicons.quantities().fractions
    for m in pats["fraction"].finditer(text):
        key = lexicons.norm_term(m.group("f")).replace("-", " ")
        v = fr.get(key) or fr.get(lexicons.norm_term(m.group("f")))
        if v is None:
            continue
        default = ">" if key in ("majority", "most") else "~"
        add(m, v, "%", False, default)
    for m in pats["fraction_after_op"].finditer(text):
        if _op_before(text, m.start()) in (">", "<", "~"):
            key = lexicons.norm_term(m.group("f")).replace("-", " ")
            v = fr.get(key) or fr.get(lexicons.norm_term(m.group("f")))
            if v is not None:
                add(m, v, "%", False, "~")
    units = lexicons.quantities().time_units
    for m in pats["time"].finditer(text):
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is None:
            continue
        if m.group("a").lower() in ("a", "an") and m.group("b"):
            continue
        start = m.start()
        if m.group("a").lower() in ("a", "an") and text[max(0, m.start() - 5):m.start()].lower().endswith("half "):
            a, start = 0.5, m.start() - 5            # "half an hour"
        v, ranged = _value(a, b)
        unit = units[m.group("u").lower()]
        if _op_before(text, m.start()) == ">" and _ADMIN_OVER.search(text[max(0, m.start() - 40):m.start()]):
            # "0.5 mg/kg over 40 minutes", "infused over 2 hours": a duration, not a minimum
            if free(m.span()):
                out.append((start, Quantity(value=v, unit=unit, op="~" if ranged else "=")))
                taken.append(m.span())
            continue
        add(m, v, unit, ranged, pos=start)
    for m in pats["count"].finditer(text):
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is None:
            continue
        v, ranged = _value(a, b)
        unit = m.group("u").lower()
        add(m, v, "sessions" if unit == "sessions" else "infusions" if unit in ("infusions", "injections") else unit, ranged)
    for m in pats["dose"].finditer(text):
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is None:
            continue
        v, ranged = _value(a, b)
        add(m, v, m.group("u").lower().replace("μ", "µ"), ranged)
    out.sort(key=lambda t: t[0])
    return out


def pick_quantity(text: str, preferred_units: tuple[str, ...] = ()) -> Quantity | None:
    """The amount a claim rests on: the first in a preferred unit, else the first."""
    qs = [q for _, q in find_quantities(text)]
    if not qs:
        return None
    for q in qs:
        if q.unit in preferred_units:
            return q
    return qs[0]
