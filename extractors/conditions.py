"""Conditions named in a text, in the DESIGN.md vocabulary.

Two readings, both driven by `data/lexicons/conditions.toml`:

- `find_conditions(text)`: the conditions a text *names* (claims use it per
  sentence). Mentions that name no condition ("respiratory depression",
  "depression of physiological parameters") are blanked first; `trd` is
  found and blanked before `depression` (so "treatment-resistant depression"
  is trd only), and depression in a sentence that also says the patients
  did not respond to treatment is trd too; "bipolar depression" is bipolar;
  `chronic_pain` and `acute_pain` are blanked as they are found, so
  "postoperative pain" is acute_pain and never chronic_pain. A bare "pain"
  that is left is acute_pain when its sentence names surgery, a procedure or
  an experiment, chronic_pain when it reads like a pain practice ("pain
  management"), and nothing otherwise.
- `population_conditions(...)`: the conditions of a study's *population*
  (the document conditions of abstracts and registry records): what the
  title, objective and methods name (a methods sentence that only lists
  measurements counts for the pain it measures, not for its mood scales); none for healthy volunteers,
  trainees or animals; trd without depression; acute_pain without chronic_pain (a
  perioperative trial that measures chronic postsurgical pain is still a
  perioperative trial); `other` for anaesthesia, sedation and airway studies
  that name no condition.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from data import lexicons

_SENTENCE_ENDS = ".!?;\n"
_PAIN = ("acute_pain", "chronic_pain")


def _free(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return all(b <= x or a >= y for x, y in spans)


def _sentence_span(text: str, a: int, b: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, a) for ch in _SENTENCE_ENDS) + 1
    ends = [i for i in (text.find(ch, b) for ch in _SENTENCE_ENDS) if i != -1]
    return start, (min(ends) if ends else len(text))


def find_conditions(text: str) -> list[str]:
    """Conditions named in `text`, in vocabulary order, each once."""
    lx = lexicons.conditions()
    if not text:
        return []
    blocked = [m.span() for m in lx.mask.finditer(text)]
    # sentences that say the patients did not respond: their depression is trd
    resistant = [_sentence_span(text, *m.span()) for m in lx.non_response.finditer(text)]
    found: set[str] = set()
    for cond, pattern, consume in lx.steps:
        # depression must be read mention by mention when some of it is trd
        every = consume or (cond == "depression" and bool(resistant))
        if cond in found and not every:
            continue
        for m in pattern.finditer(text):
            a, b = m.span()
            if not _free(blocked, a, b):
                continue
            if cond == "depression" and any(s <= a and b <= e for s, e in resistant):
                found.add("trd")
                blocked.append((a, b))
                continue
            found.add(cond)
            if consume:
                blocked.append((a, b))
            elif not every:
                break
    for m in lx.pain_generic.finditer(text):
        a, b = m.span()
        if not _free(blocked, a, b):
            continue
        start, end = _sentence_span(text, a, b)
        clause = text[start:end]
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


def is_non_clinical(text: str) -> bool:
    """Healthy volunteers, trainees or animals, and no patient population named."""
    lx = lexicons.conditions()
    if lx.patient_population.search(text) is not None:
        return False
    design = lexicons.design()
    return lx.non_clinical.search(text) is not None or (
        design.animal.search(text) is not None and design.human.search(text) is None)


def one_population(conditions: Iterable[str]) -> list[str]:
    """A study population's conditions: a treatment-resistant population is
    not also listed as depression, a perioperative or experimental one not also
    as chronic pain."""
    found = set(conditions)
    if "trd" in found:
        found.discard("depression")
    if "acute_pain" in found:
        found.discard("chronic_pain")
    return merge_conditions(found)


def _population_sentences(sentences: Sequence[str], roles: Sequence[str | None]) -> list[str]:
    """The sentences that describe who was studied: methods, and background
    sentences that state the aim (the last background sentence when none
    does); results name outcomes, not the population."""
    aim = lexicons.conditions().aim
    background = [s for s, r in zip(sentences, roles) if r == "background"]
    stated = [s for s in background if aim.search(s)] or background[-1:]
    return stated + [s for s, r in zip(sentences, roles) if r in ("methods", None)]


def population_conditions(title: str, sentences: Sequence[str], roles: Sequence[str | None],
                          extra: Iterable[str] = (), mesh: Iterable[str] = ()) -> list[str]:
    """Conditions of the study population of an abstract or registry record.

    `roles[k]` is the section of `sentences[k]` (background, methods, results,
    conclusions or None); `extra` are population descriptions from metadata
    (keywords, registry conditions), `mesh` conditions from MeSH headings."""
    lx = lexicons.conditions()
    described = _population_sentences(sentences, roles)
    population = "\n".join([title or ""] + described + [e for e in extra if e])
    if is_non_clinical(population):
        return []
    # a sentence listing measurements names outcomes, not who was studied; but
    # the pain a trial measures is its population's (a perioperative trial is acute_pain)
    measured = [s for s in described if _lists_measurements(s)]
    named = "\n".join([title or ""] + [s for s in described if s not in measured] + [e for e in extra if e])
    pain = [c for c in find_conditions("\n".join(measured)) if c in _PAIN]
    found = merge_conditions(find_conditions(named), pain, mesh)
    if not found and (lx.other_setting.search(population) or lx.patient_population.search(population)
                      or lx.other_disease.search(population)):
        found = ["other"]
    return one_population(found)


def _lists_measurements(sentence: str) -> bool:
    lx = lexicons.conditions()
    return bool(lx.measured.search(sentence)) and not lx.patient_population.search(sentence)
