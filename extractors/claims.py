"""Claims: sentences that assert something about ketamine/esketamine/the treatment.

Lexicon: `data/lexicons/claim_cues.toml`; rules from tests/gold/README.md.

- About the treatment: a sentence names a ketamine form or one of the
  publisher's product codes ("NRX-101"), or a treatment the document's title
  line announces (TMS in a clinic's release launching TMS and Spravato); or it
  speaks of "the treatment", "it", "my ..." while the text around it is about
  ketamine. Another treatment named as the subject moves the topic away until
  the paragraph ends or ketamine is named again; one named as a yardstick
  ("unlike antidepressants", "than opioids") does not. Cost and regulatory
  claims need no subject in a text about ketamine ("Veterans save 10%").
- Claim: about the treatment and holding a cue once phrases that only look
  like cues are blanked ("depression that has not improved"). Titles,
  headings, questions, list frames and sentences that frame an article,
  instruct the reader or describe the company make none; an R&D statement
  ("is developing NRX-101") makes only a regulatory claim.
- Type: the first type in the lexicon's priority order whose cues the
  sentence holds; a result against a control arm is efficacy before onset.
  A second claim of another type is made only on a clear cue: coordinated
  type words ("safe and effective", "instant and long-lasting relief") or a
  second-claim phrase ("..., with effects lasting weeks").
- Lists: a frame ending with ":" ("Ketamine can help with:") is no claim;
  each list line after it is one, of the frame's type unless it has its own.
- Conditions: the ones the sentence itself names, never the document's.
- Quantity: `extractors.quantities`, in the units each claim type prefers.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Sequence

from data import lexicons
from data.records import Claim, Quantity
from extractors.citations import find_citations, is_vague_appeal
from extractors.conditions import find_conditions
from extractors.quantities import attributive, find_quantities

# What may stand between two coordinated type words: "safe and effective",
# "safer, more effective", "instant and long-lasting".
_COORDINATED = re.compile(r"^\s*(?:,|and|&|,\s*and|as\s+well\s+as)\s*(?:(?:more|also|highly|very)\s+)?$", re.I)
_CLOSERS = "\"'”’)]"
_COMPARISON_WINDOW = 40     # characters before another treatment searched for "unlike", "than" ...
_HEADING_WORDS = 8          # an unpunctuated line this long is a sentence, not a heading
_LEAD_PARAGRAPHS = 2        # a text naming ketamine this early is about ketamine


@lru_cache(maxsize=8192)
def claim_types(text: str) -> tuple[str, ...]:
    """The claim types the sentence makes: () for none, the dominant type,
    and a second type on a clear cue (coordinated type words, a
    second-claim phrase)."""
    lx = lexicons.claim_cues()
    work, _ = lx.not_cues.blank(text)
    seconds = [key for _, key in lx.second.finditer(work)]
    main_text, _ = lx.second.matcher.blank(work)
    main = _main_type(main_text) or (seconds[0] if seconds else None)
    if main is None:
        return ()
    extra = [t for t in lx.priority if t != main and (t in seconds or t in _coordinated_types(work))]
    return (main, extra[0]) if extra else (main,)


def _main_type(text: str) -> str | None:
    """The first type in priority order whose cues `text` holds; a result
    against a control arm puts efficacy before onset."""
    lx = lexicons.claim_cues()
    found = {key for _, key in lx.all_cues.finditer(text)}
    if "efficacy" in found and lx.comparative_result.search(text):
        found.discard("onset")
    return next((t for t in lx.priority if t in found), None)


def _coordinated_types(text: str) -> list[str]:
    """Types of coordinated type words, in priority order ("safe and effective")."""
    lx = lexicons.claim_cues()
    hits = lx.pair_terms.finditer(text)
    found: set[str] = set()
    for (m1, t1), (m2, t2) in zip(hits, hits[1:]):
        if t1 != t2 and _COORDINATED.match(text[m1.end():m2.start()]):
            found.update((t1, t2))
    return [t for t in lx.priority if t in found]


def claim_type(text: str) -> str | None:
    """The dominant claim type the sentence's cues point to, or None."""
    types = claim_types(text)
    return types[0] if types else None


def makes_no_claim(text: str) -> bool:
    """Article framing, instructions to the reader, mission statements."""
    return lexicons.claim_cues().not_claims.search(text) is not None


@lru_cache(maxsize=8192)
def subject_of(text: str, own: frozenset[str] = frozenset()) -> str | None:
    """"ketamine" when a ketamine form, a product code or one of the `own`
    treatments (normalised names) is named; "other" when another treatment is
    the subject; "generic" for "the treatment", "patients", "it", "my"; else None."""
    tx, lx = lexicons.treatments(), lexicons.claim_cues()
    if tx.any_form.search(text) or lx.products.search(text):
        return "ketamine"
    others = [m for m in tx.competitor.finditer(text) if not _is_yardstick(text, m.start())]
    if any(lexicons.norm_term(m.group(0)) in own for m in others):
        return "ketamine"
    if others and not lx.leading_pronoun.search(text):
        return "other"
    if tx.generic_subject.search(text) or lx.generic_subjects.search(text):
        return "generic"
    return None


def _is_yardstick(text: str, start: int) -> bool:
    """Is the treatment named at `start` a comparison ("unlike antidepressants")?"""
    window = text[max(0, start - _COMPARISON_WINDOW):start]
    return lexicons.claim_cues().comparison_leads.search(window) is not None


def own_treatments(texts: Sequence[str], context_ketamine: bool) -> frozenset[str]:
    """Other treatments the title line of a text about ketamine announces
    ("... Launches TMS and Spravato"): the publisher's own service. One named
    as a yardstick ("an Alternative to SSRIs") is not."""
    title = title_line(texts) if context_ketamine else ""
    return frozenset(lexicons.norm_term(m.group(0))
                     for m in lexicons.treatments().competitor.finditer(title)
                     if not _is_yardstick(title, m.start()))


def is_heading(text: str) -> bool:
    """A line without final punctuation that is too short to be a sentence
    that lost its full stop ("Benefits of Ketamine Infusions")."""
    return len(text.split()) < _HEADING_WORDS and not _is_punctuated(text)


def is_question(text: str) -> bool:
    """"Does ketamine work?" asks; it claims nothing."""
    return text.rstrip().rstrip(_CLOSERS).endswith("?")


def _is_punctuated(text: str) -> bool:
    """Ends like a sentence (or a frame), closing quotes and brackets aside."""
    return text.rstrip().rstrip(_CLOSERS).endswith((".", "!", "?", ":", ";"))


@lru_cache(maxsize=8192)
def mentions_ketamine(text: str) -> bool:
    """Names a ketamine form or one of the publisher's product codes."""
    return (lexicons.treatments().any_form.search(text) is not None
            or lexicons.claim_cues().products.search(text) is not None)


def is_claim(text: str, about_ketamine: bool = True) -> bool:
    """Per-sentence test; `about_ketamine` says whether the context is ketamine."""
    if is_heading(text) or is_question(text) or makes_no_claim(text):
        return False
    subj = subject_of(text)
    if subj == "ketamine" or (subj == "generic" and about_ketamine):
        return claim_type(text) is not None
    return False


def _text(s: Any) -> str:
    return s if isinstance(s, str) else getattr(s, "text", str(s))


def _index(s: Any, pos: int) -> int:
    return pos if isinstance(s, str) else int(getattr(s, "i", pos))


def title_line(texts: Sequence[str]) -> str:
    """The first line when it reads as a title (no final punctuation): web
    texts open with their title."""
    return texts[0] if texts and not _is_punctuated(texts[0]) else ""


def ketamine_context(sentences: Sequence[Any], paragraphs: Sequence[int] | None = None,
                     share: float = 0.25) -> bool:
    """Is the text as a whole about ketamine? It names ketamine (or a product
    code) in its opening paragraphs, as a page that introduces "Blue Pine
    Ketamine Therapy" and then quotes patients, or in at least `share` of its
    paragraphs."""
    texts = [_text(s) for s in sentences]
    if not texts:
        return False
    paras = list(paragraphs) if paragraphs is not None else list(range(len(texts)))
    order = sorted(set(paras))
    named = {p for p, t in zip(paras, texts) if mentions_ketamine(t)}
    if named & set(order[:_LEAD_PARAGRAPHS]):
        return True
    return len(named) >= max(1.0, share * len(order))


def claim_sentences(sentences: Sequence[Any], *, paragraphs: Sequence[int] | None = None,
                    context_ketamine: bool | None = None) -> list[bool]:
    """For each sentence, whether it speaks about ketamine in context.

    A sentence naming a ketamine form does; one naming another treatment as
    its subject does not and moves the topic away until the paragraph ends or
    ketamine is named again; a sentence with a generic subject ("the
    treatment", "it") follows the topic. At each paragraph start the topic is
    the document's (`context_ketamine`; None = decide from how often ketamine
    is named). Treatments named in the title line count as the publisher's own.
    """
    texts = [_text(s) for s in sentences]
    if context_ketamine is None:
        context_ketamine = ketamine_context(texts, paragraphs)
    own = own_treatments(texts, context_ketamine)
    topic = "ketamine" if context_ketamine else None
    prev_para = None
    out: list[bool] = []
    for pos, text in enumerate(texts):
        para = paragraphs[pos] if paragraphs is not None else pos
        if para != prev_para:
            topic = "ketamine" if context_ketamine else None
            prev_para = para
        subj = subject_of(text, own)
        if subj in ("ketamine", "other"):
            topic = subj
        out.append(subj == "ketamine" or (subj == "generic" and topic == "ketamine"))
    return out


def list_items(texts: Sequence[str], about: Sequence[bool]) -> dict[int, int]:
    """{list line: its frame} for lists introduced by a claim frame ending
    with ":" ("Ketamine can help with:"). The lines are the unpunctuated ones
    that follow the frame; the last of several, when prose follows it, is
    the next section's heading."""
    items: dict[int, int] = {}
    for k, text in enumerate(texts):
        if not (about[k] and text.rstrip().endswith(":") and claim_type(text)):
            continue
        run = []
        for j in range(k + 1, len(texts)):
            if _is_punctuated(texts[j]):
                break
            run.append(j)
        if len(run) > 1 and run[-1] + 1 < len(texts):
            run.pop()
        items.update((j, k) for j in run)
    return items


def quantities_for(text: str, types: Sequence[str]) -> list[Quantity | None]:
    """One quantity (or None) per claim type of the sentence. Each claim takes
    the first amount in a unit its type prefers that no other claim took; then
    the main claim, if it has none, takes the first amount left (a type
    strict about units takes no other duration: "studied for 20 years" is not
    how fast it acts). Sample sizes come last; only procedure claims take a
    dose, or an amount that describes the treatment ("a 4-day infusion")
    before others."""
    lx = lexicons.claim_cues()
    found = find_quantities(text)
    out: list[Quantity | None] = []
    for t in types:
        prefs = lx.preferred_units.get(t, ())
        out.append(next((q for q in _ranked(text, found, t) if q.unit in prefs and q not in out), None))
    if out and out[0] is None:
        durations = set(lexicons.quantities().time_units.values())
        strict = types[0] in lx.strict_units
        out[0] = next((q for q in _ranked(text, found, types[0])
                       if q not in out and not (strict and q.unit in durations)), None)
    return out


def _ranked(text: str, found: Sequence[tuple[int, Quantity]], ctype: str) -> list[Quantity]:
    """The amounts a claim of `ctype` may take, in the order it considers them."""
    lx = lexicons.claim_cues()
    if ctype == "procedure":
        return [q for _, q in sorted(found, key=lambda f: f[1].unit in lx.evidence_units)]
    usable = [f for f in found if f[1].unit not in lexicons.quantities().dose_units]
    ranked = sorted(usable, key=lambda f: (f[1].unit in lx.evidence_units, attributive(text, f[0])))
    return [q for _, q in ranked]


def _evidence(k: int, text: str, cites: Sequence[list[str]],
              para_cites: dict[int, list[str]], paragraphs: Sequence[int] | None) -> tuple[str, list[str]]:
    if cites[k]:
        return "cited", cites[k]
    if paragraphs is not None and para_cites.get(paragraphs[k]):
        return "cited", list(para_cites[paragraphs[k]])
    if is_vague_appeal(text):
        return "vague", []
    return "none", []


def _paragraph_citations(cites: Sequence[list[str]],
                         paragraphs: Sequence[int] | None) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if paragraphs is None:
        return out
    for k, c in enumerate(cites):
        lst = out.setdefault(paragraphs[k], [])
        lst.extend(x for x in c if x not in lst)
    return out


def _sentence_types(k: int, texts: Sequence[str], about: Sequence[bool], items: dict[int, int],
                    context: bool, own: frozenset[str]) -> tuple[str, ...]:
    """The claim types sentence k makes in its document (see the module docstring)."""
    text = texts[k]
    if k in items:
        return claim_types(text) or claim_types(texts[items[k]])[:1]
    if (is_heading(text) or is_question(text) or text.rstrip().endswith(":")
            or makes_no_claim(text) or (k == 0 and title_line(texts))):
        return ()
    lx = lexicons.claim_cues()
    types = claim_types(text)
    if lx.pipeline.search(text):
        types = tuple(t for t in types if t == "regulatory")
    implied = (context and types and types[0] in lx.implied_subject
               and subject_of(text, own) is None)
    return types if about[k] or implied else ()


def extract_claims(sentences: Sequence[Any], doc_conditions: Iterable[str] = (), *,
                   paragraphs: Sequence[int] | None = None,
                   links: Sequence[Iterable[str]] | None = None,
                   context_ketamine: bool | None = None) -> list[Claim]:
    """Claims among `sentences` (strings or `Sentence`s; index = position or `.i`).

    `paragraphs[k]` is the paragraph of sentence k (a citation anywhere in the
    paragraph makes its claims "cited"); `links[k]` are outbound links that
    belong to sentence k; `context_ketamine` says the document (e.g. its title)
    is about ketamine (None: decided from how often the text names ketamine).
    `doc_conditions` is accepted for callers but not used: a claim's
    conditions are the ones its sentence names.
    """
    texts = [_text(s) for s in sentences]
    if context_ketamine is None:
        context_ketamine = ketamine_context(texts, paragraphs)
    about = claim_sentences(texts, paragraphs=paragraphs, context_ketamine=context_ketamine)
    own = own_treatments(texts, context_ketamine)
    items = list_items(texts, about)
    cites = [find_citations(t, links[k] if links else ()) for k, t in enumerate(texts)]
    para_cites = _paragraph_citations(cites, paragraphs)
    claims: list[Claim] = []
    for k, text in enumerate(texts):
        types = _sentence_types(k, texts, about, items, context_ketamine, own)
        if not types:
            continue
        evidence, cited = _evidence(k, text, cites, para_cites, paragraphs)
        conditions = find_conditions(text)
        for ctype, quantity in zip(types, quantities_for(text, types)):
            claims.append(Claim(sentence=_index(sentences[k], k), text=text, type=ctype,
                                conditions=list(conditions), quantity=quantity,
                                evidence=evidence, citations=list(cited)))
    return claims
