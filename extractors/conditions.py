"""Conditions named in a text, in the DESIGN.md vocabulary.

Steps come from `data/lexicons/conditions.toml`: mentions that name no
condition ("respiratory depression") are blanked first; `trd` is found and
blanked before `depression` (so "treatment-resistant depression" is trd
only); `chronic_pain` and `acute_pain` are blanked as they are found, so
"postoperative pain" is acute_pain and never chronic_pain. A bare "pain"
that is left is acute_pain when its sentence names surgery, a procedure or
an experiment, chronic_pain when it reads like a pain practice ("pain
management"), and nothing otherwise.
"""
from __future__ import annotations

from typing import Iterable

from data import lexicons



def _free(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return all(b <= x or a >= y for x, y in spans)


def find_conditions(text: str) -> list[str]:
    """Conditions named in `text`, in vocabulary order, each once."""
    lx = lexicons.conditions()
    if not text:
        return []
    blocked = [m.span() for m in lx.mask.finditer(text)]
    found: set[str] = set()
    for cond, pattern, consume in lx.steps:
        if cond in found and not consume:
            continue
        for m in pattern.finditer(text):
            a, b = m.span()
            if _free(blocked, a, b):
                found.add(cond)
                if consume:
                    blocked.append((a, b))
                else:
                    break
    for m in lx.pain_generic.finditer(text):
        a, b = m.span()
        if not _free(blocked, a, b):
            continue
        start = max(text.rfind(ch, 0, a) for ch in ".!?;\n") + 1
        ends = [i for i in (text.find(ch, b) for ch in ".!?;\n") if i != -1]
        clause = text[start:min(ends) if ends else len(text)]
        if lx.acute_context.search(clause):
            found.add("acute_pain")
        elif lx.chronic_generic.search(clause):
            found.add("chronic_pain")
    return [c for c in lx.order if c in found]


def conditions_from_mesh(terms: Iterable[str]) -> list[str]:
    """Conditions from MeSH headings ("Depressive Disorder, Treatment-Resistant")."""
    lx = lexicons.conditions()
    found: set[str] = set()
    for term in terms or ():
        head = term.split("/")[0].strip().rstrip("*").lower()
        if head in lx.mesh:
            found.add(lx.mesh[head])
    return [c for c in lx.order if c in found]


def merge_conditions(*lists: Iterable[str]) -> list[str]:
    """Union of condition lists, in vocabulary order."""
    order = lexicons.conditions().order
    seen = {c for lst in lists for c in lst}
    return [c for c in order if c in seen]
