"""Charts as inline SVG, drawn here in Python: no script, no CDN, prints as it shows.

Every text that reaches the SVG is escaped; the functions return Markup so the
autoescaping templates insert them as they are.
"""
from __future__ import annotations

from html import escape
from math import sqrt

from markupsafe import Markup

DESIGN_ROWS = ("meta_analysis", "systematic_review", "rct", "nonrandomized_trial", "open_label",
               "observational", "case_report", "review", "preclinical", "other")
DESIGN_NAMES = {"meta_analysis": "meta-analysis", "systematic_review": "systematic review",
                "rct": "RCT", "nonrandomized_trial": "non-randomized", "open_label": "open-label",
                "observational": "observational", "case_report": "case report", "review": "review",
                "preclinical": "preclinical", "other": "other"}
RESULT_COLOURS = {"yes": "#2e7d32", "no": "#c62828", "mixed": "#ef8f00", "": "#8a8f98"}
WIDTH, LEFT, RIGHT = 640, 130, 20


def _svg(height: int, body: list[str], title: str) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
                  f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
                  f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 11,
          fill: str = "#1d2430") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}">{escape(text)}</text>')


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def evidence_map(studies: list[dict]) -> Markup | None:
    """Studies by design (rows) and year (x); circle area grows with N, colour is the
    primary result; curated studies have a dark outline."""
    dated = [dict(s, design=s["design"] if s["design"] in DESIGN_ROWS else "other")
             for s in studies if s.get("year")]
    if not dated:
        return None
    rows = [d for d in DESIGN_ROWS if any(s["design"] == d for s in dated)]
    years = [int(s["year"]) for s in dated]
    lo, hi = min(years) - 1, max(years) + 1
    height = 50 + 34 * len(rows)
    span = WIDTH - LEFT - RIGHT

    def x(year: int) -> float:
        return LEFT + span * (year - lo) / (hi - lo)

    body = []
    for i, design in enumerate(rows):
        y = 24 + 34 * i
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="#e3e5ea"/>')
        body.append(_text(LEFT - 8, y + 4, DESIGN_NAMES[design], "end"))
    last = -100.0
    for year in sorted(set(years)):   # skip a label that would overlap the previous one
        if x(year) - last >= 30:
            body.append(_text(x(year), height - 18, str(year), "middle", 10, "#556"))
            last = x(year)
    for s in sorted(dated, key=lambda s: -(s.get("n") or 0)):
        y = 24 + 34 * rows.index(s["design"])
        r = min(16.0, 3 + sqrt(s.get("n") or 9) / 2.2)
        outline = 'stroke="#1d2430" stroke-width="1.5"' if s["basis"] == "curated" else 'stroke="#fff"'
        tip = f"{s['label']} ({s['year']}), N={s.get('n') or '?'}, result: {s['significance'] or 'not reported'}"
        body.append(f'<circle cx="{x(int(s["year"])):.1f}" cy="{y}" r="{r:.1f}" fill-opacity="0.75" '
                    f'fill="{RESULT_COLOURS.get(s["significance"], "#8a8f98")}" {outline}>'
                    f'<title>{escape(tip)}</title></circle>')
    body.append(_text(8, height - 3, "colour: primary result significant (green), not (red), mixed "
                      "(amber), not reported (grey); outlined: curated", size=10, fill="#556"))
    undated = len(studies) - len(dated)
    title = f"Evidence map: {len(dated)} studies by design and year" + (
        f" ({undated} without a year not shown)" if undated else "")
    return _svg(height, body, title)


def rate_chart(rates: list[dict], claimed: list[tuple[float, str]]) -> Markup | None:
    """Response and remission rates per study arm as bars (comparator arms pale),
    with the rates the marketing claims marked as dashed red lines."""
    if not rates:
        return None
    rows = sorted(rates, key=lambda r: (r["label"], r["control"], -r["value"]))
    height = 40 + 18 * len(rows)
    left, span = 280, WIDTH - 280 - RIGHT

    def x(value: float) -> float:
        return left + span * min(value, 100) / 100

    body = []
    for tick in range(0, 101, 20):
        body.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="22" y2="{height - 14}" stroke="#eceef2"/>')
        body.append(_text(x(tick), height - 2, f"{tick}%", "middle", 10, "#556"))
    for i, r in enumerate(rows):
        y = 24 + 18 * i
        kind = "remission" if r["kind"] == "remission_rate" else "response"
        body.append(_text(left - 6, y + 11, _clip(f"{r['label']}: {r['arm'] or 'arm'} ({kind})", 52),
                          "end", 10))
        colour = "#b9c3d6" if r["control"] else ("#4a6fa5" if kind == "response" else "#2e7d32")
        value = f"{r['value']:g}%"
        body.append(f'<rect x="{left}" y="{y + 2}" width="{x(r["value"]) - left:.1f}" height="12" '
                    f'fill="{colour}"><title>{escape(value)}</title></rect>')
        body.append(_text(x(r["value"]) + 3, y + 12, value, size=9, fill="#556"))
    for value, label in sorted(set(claimed))[:6]:
        body.append(f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="14" y2="{height - 14}" '
                    f'stroke="#c62828" stroke-width="2" stroke-dasharray="5,3"/>')
        body.append(_text(x(value), 11, label, "middle", 10, "#c62828"))
    title = (f"Response and remission rates in {len(rows)} study arms"
             + (", with the rates claimed in marketing marked" if claimed else ""))
    return _svg(height, body, title)
