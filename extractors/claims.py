"""Claims: sentences that assert something about ketamine/esketamine/the treatment.

A sentence is a claim when it holds a claim cue (`data/lexicons/claim_cues.toml`)
and is about the treatment: it names a ketamine form, or it speaks of "the
treatment", "infusions", "patients", "it" ... while the text around it is about
ketamine (a sentence about TMS or antidepressants moves the topic away until the
paragraph ends or ketamine is named again). The claim type is the first type in
the lexicon's priority order whose cues the sentence holds.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Sequence

from data import lexicons
from data.records import Claim
from extractors.citations import find_citations, is_vague_appeal
from extractors.conditions import find_conditions
from extractors.quantities import pick_quantity


@lru_cache(maxsize=8192)
def claim_type(text: str) -> str | None:
    """The claim type the sentence's cues point to, or None."""
    lx = lexicons.claim_cues()
    found = {key for _, key in lx.all_cues.finditer(text)}
    for t in lx.priority:
        if t in found:
            return t
    return None


@lru_cache(maxsize=8192)
def subject_of(text: str) -> str | None:
    """"ketamine" when a ketamine form is named; "other" when another treatment
    is named (and no ketamine form); "generic" for "the treatment", "patients",
    "it"; else None."""
    tx = lexicons.treatments()
    if tx.any_form.search(text):
        return "ketamine"
    if tx.competitor.search(text):
        return "other"
    if tx.generic_subject.search(text):
        return "generic"
    return None


def is_heading(text: str) -> bool:
    """A short line without final punctuation ("Benefits of Ketamine Infusions")."""
    return len(text.split()) < 5 and not text.rstrip().endswith((".", "!", "?"))


@lru_cache(maxsize=8192)
def mentions_ketamine(text: str) -> bool:
    return lexicons.treatments().any_form.search(text) is not None


def is_claim(text: str, about_ketamine: bool = True) -> bool:
    """Per-sentence test; `about_ketamine` says whether the context is ketamine."""
    if is_heading(text):
        return False
    subj = subject_of(text)
    if subj == "ketamine" or (subj == "generic" and about_ketamine):
        return claim_type(text) is not None
    return False


def _text(s: Any) -> str:
    return s if isinstance(s, str) else getattr(s, "text", str(s))


def _index(s: Any, pos: int) -> int:
    return pos if isinstance(s, str) else int(getattr(s, "i", pos))


def ketamine_context(sentences: Sequence[Any], paragraphs: Sequence[int] | None = None,
                     share: float = 0.25) -> bool:
    """Is the text as a whole about ketamine? (a ketamine form in at least
    `share` of its paragraphs)"""
    texts = [_text(s) for s in sentences]
    if not texts:
        return False
    paras = list(paragraphs) if paragraphs is not None else list(range(len(texts)))
    named = {p for p, t in zip(paras, texts) if mentions_ketamine(t)}
    return len(named) >= max(1.0, share * len(set(paras)))


def claim_sentences(sentences: Sequence[Any], *, paragraphs: Sequence[int] | None = None,
                    context_ketamine: bool | None = None) -> list[bool]:
    """For each sentence, whether it speaks about ketamine in context.

    A sentence naming a ketamine form does; one naming another treatment does
    not and moves the topic away until the paragraph ends or ketamine is named
    again; a sentence with a generic subject ("the treatment", "it") follows
    the topic. At each paragraph start the topic is the document's
    (`context_ketamine`; None = decide from how often ketamine is named).
    """
    texts = [_text(s) for s in sentences]
    if context_ketamine is None:
        context_ketamine = ketamine_context(texts, paragraphs)
    topic = "ketamine" if context_ketamine else None
    prev_para = None
    out: list[bool] = []
    for pos, text in enumerate(texts):
        para = paragraphs[pos] if paragraphs is not None else pos
        if para != prev_para:
            topic = "ketamine" if context_ketamine else None
            prev_para = para
        subj = subject_of(text)
        if subj == "ketamine":
            topic = "ketamine"
            out.append(True)
        elif subj == "other":
            topic = "other"
            out.append(False)
        elif subj == "generic":
            out.append(topic == "ketamine")
        else:
            out.append(False)
    return out


def extract_claims(sentences: Sequence[Any], doc_conditions: Iterable[str] = (), *,
                   paragraphs: Sequence[int] | None = None,
                   links: Sequence[Iterable[str]] | None = None,
                   context_ketamine: bool | None = None) -> list[Claim]:
    """Claims among `sentences` (strings or `Sentence`s; index = position or `.i`).

    `paragraphs[k]` is the paragraph of sentence k (a citation anywhere in the
    paragraph makes its claims "cited"); `links[k]` are outbound links that
    belong to sentence k; `context_ketamine` says the document (e.g. its title)
    is about ketamine (None: decided from how often the text names ketamine).
    """
    doc_conditions = list(doc_conditions)
    texts = [_text(s) for s in sentences]
    about = claim_sentences(texts, paragraphs=paragraphs, context_ketamine=context_ketamine)
    cites = [find_citations(t, links[k] if links else ()) for k, t in enumerate(texts)]
    para_cites: dict[int, list[str]] = {}
    if paragraphs is not None:
        for k, c in enumerate(cites):
            for x in c:
                lst = para_cites.setdefault(paragraphs[k], [])
                if x not in lst:
                    lst.append(x)
    prefs = lexicons.claim_cues().preferred_units
    claims: list[Claim] = []
    for k, text in enumerate(texts):
        if not about[k] or is_heading(text):
            continue
        ctype = claim_type(text)
        if ctype is None:
            continue
        if cites[k]:
            evidence, cited = "cited", cites[k]
        elif paragraphs is not None and para_cites.get(paragraphs[k]):
            evidence, cited = "cited", list(para_cites[paragraphs[k]])
        elif is_vague_appeal(text):
            evidence, cited = "vague", []
        else:
            evidence, cited = "none", []
        claims.append(Claim(
            sentence=_index(sentences[k], k),
            text=text,
            type=ctype,
            conditions=find_conditions(text) or list(doc_conditions),
            quantity=pick_quantity(text, prefs.get(ctype, ())),
            evidence=evidence,
            citations=cited,
        ))
    return claims
