"""Claims: sentences that assert something about ketamine/esketamine/the treatment.

Lexicon: `data/lexicons/claim_cues.toml`; rules from tests/gold/README.md.

- About the treatment: a sentence names a ketamine form or one of the
  publisher's product codes ("NRX-101"), or a treatment the document's title
  line presents as the publisher's own (TMS in a clinic's release launching
  TMS and Spravato, or in a title opening on "TMS Therapy Offers ..."); or it
  speaks of "the treatment", "it", "my ...", "the novel compound", "this
  preservative", "we can ..." while the text around it is about ketamine.
  Another treatment named as the subject moves the topic away until the
  paragraph ends or ketamine is named again; one named as a yardstick
  ("unlike antidepressants", "than opioids") does not, and a clause mark ends
  the yardstick ("Unlike other options, TMS can ..."). Cost and regulatory
  claims need no subject in a text about ketamine ("Veterans save 10%").
- Names are no treatment: the publisher's names that contain a ketamine form
  ("Keystone Advanced Ketamine Therapy", "Ketamine Haven Clinic", found in the
  title and the dateline) and businesses named after it ("ketamine clinics",
  "the ketamine industry") are blanked before the rules read a sentence; a
  cue word written in capitals is a name ("HOPE Therapeutics").
- The provider is no treatment: a sentence whose main-clause subject is the
  provider or its staff ("the team provides support", "Lone Peak Psychiatry
  is at the forefront ...") claims only a price, a regulatory status or a
  procedure, unless an evaluative word says how well the treatment works
  ("The clinic offers a game-changing approach"). A provider that announces
  or offers a service for an indication ("is thrilled to announce the
  introduction of ketamine treatment for CRPS") makes no efficacy claim;
  missions, commitments, care "tailored to individual needs", calls to
  action, unmet needs and a study's methods claim nothing.
- Claim: about the treatment and holding a cue once phrases that only look
  like cues are blanked ("depression that has not improved"). Titles,
  headings, questions, list frames and sentences that frame an article,
  instruct the reader or describe the company make none; an R&D statement
  ("is developing NRX-101") makes only a regulatory claim.
- Type: the first type in the lexicon's priority order whose cues the
  sentence holds; a result against a control arm, or a share of patients
  with no time in numbers ("Over 70% of patients improve soon after"), is
  efficacy before onset; efficacy cues that only name an indication ("used
  to treat") yield to a procedure cue ("delivered at a low dose"). A second
  claim of another type is made only on a clear cue: coordinated type words
  ("safe and effective", "safe at high doses and effective") or a
  second-claim phrase ("..., with effects lasting weeks", "immediate relief
  for up to seven days", "after a single 45-minute treatment", "highly
  effective by targeting glutamate", "This FDA-approved treatment is safe").
- Lists: a frame ending with ":" ("Ketamine can help with:") is no claim;
  each list line after it is one, of the frame's type unless it has its own.
- Conditions: the ones the sentence itself names, never the document's.
- Quantity: `extractors.quantities`, in the units each claim type prefers;
  an amount inside a second-claim phrase goes to that claim; amounts of a
  comparator arm ("compared with 28% of those given midazolam"), a market or
  a financing, or a patient's history are never a claim's.
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
_COORDINATED = re.compile(r"^\s*(?:(?:at|in|for|with)\s+(?:[\w-]+\s+){0,2}?)?(?:,|and|&|,\s*and|as\s+well\s+as)\s*"
                          r"(?:(?:more|also|highly|very|statistically|clinically)\s+)?$", re.I)
_CLOSERS = "\"'”’)]"
_COMPARISON_WINDOW = 40     # characters before another treatment searched for "unlike", "than" ...
_HEADING_WORDS = 8          # an unpunctuated line this long is a sentence, not a heading
_LEAD_PARAGRAPHS = 2        # a text naming ketamine this early is about ketamine
_CLAUSE_BREAK = re.compile(r"[,;:—–]|\s-\s")
_DATELINE_LINES = 3         # the dateline ("City (Wire) Date — Org, a ...") is among the first lines
# "— Keystone Advanced Ketamine Therapy, a leading ...": the organisation a dateline introduces.
_DATELINE_ORG = re.compile(
    r"(?:—|–|--|\s-)\s*(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:&\s+)?[A-Z][\w&'’.-]*){0,6})"
    r"(?:\s*\([^)]*\))?(?:\s*,\s+(?:a|an|the)\s|\s+(?:is|are|has|have|today|announced|announces|proudly)\b)")
_NAME_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
# The main clause's subject: after a dateline, a leading adverbial phrase
# ("By modulating ..., ", "Throughout the treatment journey, ") and a
# connective ("Additionally, "), the words before the first verb.
_DATELINE = re.compile(r"^.{0,160}?\((?:newsworthy\.ai|[^)]*wire)\)[^—–]*[—–]\s*|^.{0,120}?/24-7PressRelease/\s*--\s*",
                       re.I)
_LEADING_PHRASE = re.compile(
    r"^(?:(?:by|with|while|through|throughout|under|in|led|unlike|as|if|although|though|because|since|"
    r"when|after|before|for|during|following|despite|compared|recogni[sz]ing|leveraging|utili[sz]ing|"
    r"depending|beyond|besides|rather|instead|once|given|due|according|at|from|on|whether|having|"
    r"combined|available|originally|commonly)\b[^,]*,\s*)+", re.I)
_CONNECTIVE = re.compile(
    r"^(?:additionally|moreover|however|furthermore|overall|in\s+addition|meanwhile|in\s+contrast|"
    r"importantly|also|today|now|still|indeed|notably|thus|therefore|finally|in\s+fact|in\s+conclusion|"
    r"as\s+a\s+result|for\s+example|for\s+instance|sure|yet|but|and|so)\b,?\s*", re.I)
_FIRST_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|can|could|may|might|will|would|should|must|does|do|did|"
    r"offers?|provides?|helps?|works?|remains?|represents?|leaves?|requires?|involves?|allows?|"
    r"enables?|brings?|aims?|seeks?|creates?|blends?|makes?|shows?|showed|demonstrate[sd]?|"
    r"reduce[sd]?|improve[sd]?|acts?|targets?|delivers?|combines?|merges?|includes?|consists?|"
    r"emerges?|stands?|becomes?|continues?|appears?|receives?|experience[sd]?|reports?|reported|"
    r"feels?|noticed?|understands?|accepts?|believes?|says|said|focuses|specializes|strives|"
    r"argues?|argued|claims?|claimed|notes?|noted|states?|stated|explains?|explained|adds?|added|"
    r"announced|announces|expects?)\b", re.I)
# A verb that reports what someone says: the claim is in the clause it introduces.
_REPORTING = re.compile(r"(?:believes?|says|said|argues?|argued|claims?|claimed|notes?|noted|states?|"
                        r"stated|explains?|explained|adds?|added|announced|announces|expects?)$", re.I)
# A clause whose subject is the treatment ("... because it has quick effects").
_TREATMENT_CLAUSE = re.compile(r"\b(?:because|since|as|that|and|so)\s+(?:it|they)\s+(?!is\s+important)\w+", re.I)
_SUBJECT_WORDS = 14
_HEAD_END = re.compile(r"\s(?:at|in|of|for|from|with|on|across|throughout|who|that|which)\s", re.I)
_PROVIDER_TYPES = ("cost", "regulatory", "procedure")   # what a provider's own sentence may claim
_TESTIMONY = re.compile(r"\b(?:have|has)\s+(?:seen|witnessed|observed)\b", re.I)
_TREATMENT_WORD = re.compile(r"\b(?:treatments?|therap(?:y|ies)|infusions?|injections?|sessions?|medication|drug|"
                             r"approach(?:es)?|procedure|it|they)\b", re.I)


@lru_cache(maxsize=8192)
def claim_types(text: str) -> tuple[str, ...]:
    """The claim types the sentence makes: () for none, the dominant type,
    and a second type on a clear cue (coordinated type words, a
    second-claim phrase)."""
    lx = lexicons.claim_cues()
    work, _ = lx.not_cues.blank(text)
    second_hits = lx.second.finditer(work)
    seconds = [key for _, key in second_hits]
    spans = tuple(m.span() for m, _ in second_hits)
    # the second phrase names its claim; the main claim is of another type when the sentence has one
    main = ((seconds and _main_type(work, spans, skip=frozenset(seconds))) or _main_type(work, spans)
            or (seconds[0] if seconds else None))
    if main is None:
        return ()
    extra = [t for t in lx.priority if t != main and (t in seconds or t in _coordinated_types(work))]
    return (main, extra[0]) if extra else (main,)


def _main_type(text: str, second_spans: Sequence[tuple[int, int]] = (),
               skip: frozenset[str] = frozenset()) -> str | None:
    """The first type in priority order whose cues `text` holds, cues lying
    within a second-claim phrase (`second_spans`) aside; a result against a
    control arm puts efficacy before onset; a service announced for an
    indication ("announces the introduction of ketamine treatment for CRPS")
    is no efficacy claim (see `_only_indication`)."""
    lx = lexicons.claim_cues()
    hits = [(m, key) for m, key in lx.all_cues.finditer(text)
            if key not in skip and not _is_name(text[m.start():m.end()], text)
            and not any(a <= m.start() and m.end() <= b for a, b in second_spans)]
    found = {key for _, key in hits}
    if "efficacy" in found and (lx.comparative_result.search(text) or _states_share(text)):
        found.discard("onset")
    efficacy_hits = [m for m, key in hits if key == "efficacy"]
    if "efficacy" in found and _only_indication(text, efficacy_hits):
        found.discard("efficacy")
    if "efficacy" in found and "procedure" in found and lx.indication \
            and all(lx.indication.fullmatch(m.group(0)) for m in efficacy_hits) \
            and not (lx.evaluative and lx.evaluative.search(text)):
        found.discard("efficacy")         # "is delivered at a low dose and is used to treat ...": how it is given
    return next((t for t in lx.priority if t in found), None)


def _states_share(text: str) -> bool:
    """Does the sentence give a share of patients ("Over 70% of patients
    improve soon after", "64% responded within 24 hours")? A response rate
    is an efficacy result, however fast (tests/gold/README.md)."""
    return any(q.unit == "%" for _, q in find_quantities(text))


@lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    return frozenset(a.removeprefix("cs:").lower()
                     for a in lexicons.load("claim_cues").get("subject", {}).get("acronyms", []))


def _is_name(cue: str, text: str) -> bool:
    """A cue word written in capitals in a sentence that is not ("HOPE
    Therapeutics", "HOPE clinics") is a name; abbreviations ("NMDA") aside."""
    return (len(cue) >= 3 and cue.isupper() and cue.lower() not in _acronyms()
            and not text.isupper())


def _only_indication(text: str, efficacy_hits: Sequence[re.Match[str]]) -> bool:
    """Does a sentence that announces or offers a service ("the practice
    offers innovative treatment options", "is thrilled to announce the
    introduction of ketamine treatment for CRPS") name only what the
    treatment is for, with no word saying how well it works ("a breakthrough
    treatment for anxiety")? A sentence whose subject is the treatment
    ("Ketamine therapy offers a new approach for treating TRD") announces
    nothing."""
    lx = lexicons.claim_cues()
    if not (lx.announcement and lx.indication):
        return False
    m = lx.announcement.search(text)
    if m is None or _names_treatment(text[:m.start()]):
        return False
    if lx.evaluative and lx.evaluative.search(text):
        return False
    return all(lx.indication.fullmatch(h.group(0)) for h in efficacy_hits)


def _main_clause(text: str) -> str:
    """The sentence without its dateline, leading phrases and connectives."""
    s = _DATELINE.sub("", text)
    for _ in range(3):
        nxt = _CONNECTIVE.sub("", _LEADING_PHRASE.sub("", s))
        if nxt == s:
            break
        s = nxt
    return s


def subject_span(text: str) -> str:
    """The words before the main clause's first verb (at most a few words):
    "the team" in "Throughout the treatment journey, the team provides
    support"."""
    s = _main_clause(text)
    m = _FIRST_VERB.search(s)
    if m and len(s[:m.start()].split()) <= _SUBJECT_WORDS:
        return s[:m.start()]
    return " ".join(s.split()[:8])


def _subject_verb(text: str) -> str:
    """The main clause's first verb ("" when none is found)."""
    m = _FIRST_VERB.search(_main_clause(text))
    return m.group(0) if m else ""


def provider_subject(text: str, publishers: Sequence[str] = ()) -> bool:
    """Is a provider or its staff the main clause's subject ("the team
    provides unwavering support"), rather than the treatment? Not when it
    only reports what another clause claims ("The company argues ..."), or
    a clause has the treatment as its subject ("... because it has quick
    antidepressant effects")."""
    lx = lexicons.claim_cues()
    span = _HEAD_END.split(subject_span(text), 1)[0]     # "Patients at the clinic": the head is "Patients"
    named = any(name in span for name in publishers)
    if not (named or (lx.providers and lx.providers.search(span))) or _names_treatment(span):
        return False
    return not (_REPORTING.match(_subject_verb(text)) or _TREATMENT_CLAUSE.search(text))


def _only_indication_cues(text: str) -> bool:
    """Are all the efficacy cues of `text` words that only name a purpose
    ("to help", "transform their lives", "treatment for")?"""
    lx = lexicons.claim_cues()
    work, _ = lx.not_cues.blank(text)
    hits = [m for m, key in lx.all_cues.finditer(work) if key == "efficacy"]
    return bool(hits) and bool(lx.indication) and all(lx.indication.fullmatch(m.group(0)) for m in hits)


def _names_treatment(text: str) -> bool:
    """Does `text` name a ketamine form, a product code or a treatment word
    ("this therapy", "infusions")?"""
    tx, lx = lexicons.treatments(), lexicons.claim_cues()
    return bool(tx.any_form.search(text) or lx.products.search(text)
                or _TREATMENT_WORD.search(text))


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


def subject_of(text: str, own: frozenset[str] = frozenset()) -> str | None:
    """"ketamine" when a ketamine form, a product code or one of the `own`
    treatments (normalised names) is named; "other" when another treatment is
    the subject; "generic" for "the treatment", "patients", "it", "my"; else None."""
    return _subject_of(text, own)       # one cache entry whether `own` is passed or not


@lru_cache(maxsize=8192)
def _subject_of(text: str, own: frozenset[str]) -> str | None:
    tx, lx = lexicons.treatments(), lexicons.claim_cues()
    if mentions_ketamine(text):
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
    """Is the treatment named at `start` a comparison ("unlike antidepressants")?
    A clause boundary after the lead ends the comparison: in "Unlike other
    treatment options, TMS Therapy can ..." TMS is the subject."""
    window = text[max(0, start - _COMPARISON_WINDOW):start]
    leads = lexicons.claim_cues().comparison_leads.finditer(window)
    return bool(leads) and not _CLAUSE_BREAK.search(window, leads[-1].end())


def own_treatments(texts: Sequence[str], context_ketamine: bool) -> frozenset[str]:
    """Other treatments the title line presents as the publisher's own
    service: any it names, in a text about ketamine ("... Launches TMS and
    Spravato"); otherwise those that open the title or follow one of its
    offering verbs ("Transcranial Magnetic Stimulation (TMS) Therapy Offers
    New Hope", "NRx Launches HOPE's One-Day TMS Protocol"), not a treatment
    the title only reports on ("Black Market for Cannabis May Thrive"). One
    named as a yardstick ("an Alternative to SSRIs") is never own."""
    title = title_line(texts)
    found = [m for m in lexicons.treatments().competitor.finditer(title)
             if not _is_yardstick(title, m.start())]
    if not found:
        return frozenset()
    if not context_ketamine:
        before = title[:found[0].start()]
        offering = lexicons.claim_cues().offering
        if before.strip(" \"'“”‘’(") and not (offering and offering.search(before)):
            return frozenset()
    out = set()
    for m in found:                  # "Deep TMS" is own, and so is "TMS"
        words = lexicons.norm_term(m.group(0)).split()
        out.update(" ".join(words[i:]) for i in range(len(words))
                   if i == 0 or lexicons.treatments().competitor.fullmatch(" ".join(words[i:])))
    return frozenset(out)


def organisations(texts: Sequence[str]) -> tuple[str, ...]:
    """Names of the publisher that contain a ketamine form ("Keystone
    Advanced Ketamine Therapy", "Ketamine Haven Clinic", "Upstate Ketamine
    Center"): the title's subject before its verb or colon, and the name a
    dateline introduces ("— X, a leading provider"). A name is an
    organisation's when it holds an organisation word ("Clinic") or a
    capitalised word that no treatment name is made of ("Keystone")."""
    lx, tx = lexicons.claim_cues(), lexicons.treatments()
    candidates = []
    title = title_line(texts)
    body = "\n".join(texts[1:])
    if title:
        cut = len(title)
        m = lx.offering.search(title) if lx.offering else None
        if m:
            cut = m.start()
        colon = re.search(r"[:|]|\s[–—-]\s", title)
        if colon:
            cut = min(cut, colon.start())
        name = re.sub(r"\s*\([^)]*\)\s*$", "", title[:cut]).strip(" ,\"'“”‘’")
        if name and name in body:          # a name recurs; a title's topic ("Ketamine Pricing") seldom does
            candidates.append(name)
    for text in texts[:_DATELINE_LINES]:
        candidates.extend(m.group("org") for m in _DATELINE_ORG.finditer(text))
    out = []
    for cand in candidates:
        name = re.sub(r"\s*\([^)]*\)\s*$", "", cand).strip(" ,\"'“”‘’")
        if len(name) < 4 or not tx.any_form.search(name):
            continue
        words = _NAME_WORD.findall(name)
        capital_other = any(w[0].isupper() and not (lx.treatment_name_words and lx.treatment_name_words.fullmatch(w))
                            and not tx.any_form.fullmatch(w) for w in words)
        if capital_other or (lx.organisation_words and lx.organisation_words.search(name)):
            if name not in out:
                out.append(name)
    return tuple(out)


@lru_cache(maxsize=256)
def _publishers(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The publisher's names, ketamine in them or not: the title's subject
    before its offering verb or colon and the name a dateline introduces,
    when made of two or more capitalised words ("Lone Peak Psychiatry",
    "Soul Psychedelic Systems") or holding an organisation word."""
    lx = lexicons.claim_cues()
    out: list[str] = []
    cands = [m.group("org") for t in texts[:_DATELINE_LINES] for m in _DATELINE_ORG.finditer(t)]
    title = title_line(texts)
    if title and lx.offering:
        m = lx.offering.search(title)
        if m and m.start() > 0:
            cands.append(title[:m.start()])
    for cand in cands:
        name = re.sub(r"\s*\([^)]*\)\s*$", "", cand).strip(" ,\"'“”‘’")
        words = _NAME_WORD.findall(name)
        capitals = sum(1 for w in words if w[0].isupper())
        if (capitals >= 2 or (lx.organisation_words and lx.organisation_words.search(name))) \
                and not _names_treatment(name) and name not in out:
            out.append(name)
    return tuple(out)


def subject_texts(texts: Sequence[str]) -> list[str]:
    """The texts as the claim rules read them: the publisher's names that
    contain a ketamine form, and businesses named after it ("ketamine
    clinics"), blanked, so that they name no treatment."""
    return list(_subject_texts(tuple(texts)))


@lru_cache(maxsize=64)
def _subject_texts(texts: tuple[str, ...]) -> tuple[str, ...]:
    names = organisations(texts)
    lx = lexicons.claim_cues()
    out = []
    for text in texts:
        for name in names:
            if name in text:
                text = text.replace(name, " " * len(name))
        if lx.not_treatment:
            text = lx.not_treatment.blank(text)[0]
        out.append(text)
    return tuple(out)


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


def _implied_context(texts: Sequence[str], read: Sequence[str], context: bool,
                     own: frozenset[str]) -> bool:
    """May a price or a regulatory status be claimed without naming the
    treatment? In a text about ketamine (or the publisher's own treatment
    the title presents), yes; but not when ketamine is named only in the
    names of businesses ("Ketamine Lead Gen ... for Ketamine & TMS Clinics":
    a marketing agency's discounts are on its own services)."""
    if own:
        return True
    if context and any(mentions_ketamine(t) for t in texts) and not any(mentions_ketamine(t) for t in read):
        return False
    return context


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
    read = subject_texts(texts)
    own = own_treatments(read, context_ketamine)
    context_ketamine = context_ketamine or bool(own)
    texts = read
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


def quantities_for(text: str, types: Sequence[str], own: frozenset[str] = frozenset()) -> list[Quantity | None]:
    """One quantity (or None) per claim type of the sentence. Each claim takes
    the first amount in a unit its type prefers that no other claim took; then
    the main claim, if it has none, takes the first amount left (a type
    strict about units takes no other duration: "studied for 20 years" is not
    how fast it acts). Sample sizes come last; only procedure claims take a
    dose, or an amount that describes the treatment ("a 4-day infusion")
    before others."""
    lx = lexicons.claim_cues()
    found = find_quantities(text)
    if lx.business_amounts and found:
        spans = [m.span() for m in lx.business_amounts.finditer(text)]
        found = [(p, q) for p, q in found if not any(a <= p < b for a, b in spans)]
    found = _claim_amounts(text, found, own)
    reserved: dict[str, Quantity] = {}
    for m, key in (lx.second.finditer(text) if len(types) > 1 else []):
        inside = [q for p, q in found if m.start() <= p < m.end()]
        if key in types[1:] and inside:
            reserved.setdefault(key, inside[0])
    out: list[Quantity | None] = []
    for t in types:
        if t in reserved and t != types[0]:
            out.append(reserved[t])
            continue
        prefs = lx.preferred_units.get(t, ())
        out.append(next((q for q in _ranked(text, found, t)
                         if q.unit in prefs and q not in out and q not in reserved.values()), None))
    if out and out[0] is None:
        durations = lexicons.quantities().durations
        strict = types[0] in lx.strict_units
        out[0] = next((q for q in _ranked(text, found, types[0])
                       if q not in out and q not in reserved.values()
                       and not (strict and q.unit in durations)), None)
    return out


_SEGMENT_BREAK = re.compile(r"[,;:()\[\]]|\s[-–—]\s|\b(?=(?:versus|vs\.?|compared\s+(?:with|to)|than|while|whereas|unlike)\b)",
                            re.I)
_RELATIVE = re.compile(r"^\s*(?:which|that|who|where)\b", re.I)


@lru_cache(maxsize=1)
def _comparator_arms():
    return lexicons.compile_phrases(lexicons.load("claim_cues").get("comparator_arms", []))


def _claim_amounts(text: str, found: Sequence[tuple[int, Quantity]],
                   own: frozenset[str] = frozenset()) -> list[tuple[int, Quantity]]:
    """The amounts a claim may take: not those of a comparator arm. The text
    is cut into segments at clause marks and before "versus", "compared
    with", "than", "unlike"; an amount in a segment that names a comparator
    ("compared with 28% of those given midazolam") or another treatment
    ("Unlike SSRIs, which take 4-6 weeks") and no ketamine form is the
    comparator's; the publisher's `own` treatments are no comparators. A
    relative clause ("which ...") belongs to the segment before it."""
    if not found:
        return list(found)
    tx, arms = lexicons.treatments(), _comparator_arms()
    cuts = [0] + [m.start() if m.group(0).strip() == "" else m.end() for m in _SEGMENT_BREAK.finditer(text)] + [len(text)]
    segments, prev = [], False
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        if not seg.strip():
            continue
        rivals = [m for m in tx.competitor.finditer(seg) if lexicons.norm_term(m.group(0)) not in own]
        other = bool(arms.search(seg) or rivals) and not tx.any_form.search(seg)
        if _RELATIVE.match(seg) and not tx.any_form.search(seg):
            other = other or prev
        segments.append((a, b, other))
        prev = other
    return [(p, q) for p, q in found if not any(a <= p < b and other for a, b, other in segments)]


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
        types = tuple(t for t in types if t in ("regulatory", "procedure"))
    if types and provider_subject(text, _publishers(tuple(texts))) \
            and not (lx.evaluative and lx.evaluative.search(text)) and not _TESTIMONY.search(text):
        if subject_of(text, own) != "ketamine":
            types = tuple(t for t in types if t in _PROVIDER_TYPES)
        elif types[0] == "efficacy" and _only_indication_cues(text):
            types = types[1:]    # "By uniting ketamine and psychotherapy, X aims to provide therapies that transform lives"
    implied = (context and types and types[0] in lx.implied_subject
               and subject_of(text, own) is None)
    return types if about[k] or implied else ()


def extract_claims(sentences: Sequence[Any], *,
                   paragraphs: Sequence[int] | None = None,
                   links: Sequence[Iterable[str]] | None = None,
                   context_ketamine: bool | None = None) -> list[Claim]:
    """Claims among `sentences` (strings or `Sentence`s; index = position or `.i`).

    `paragraphs[k]` is the paragraph of sentence k (a citation anywhere in the
    paragraph makes its claims "cited"); `links[k]` are outbound links that
    belong to sentence k; `context_ketamine` says the document (e.g. its title)
    is about ketamine (None: decided from how often the text names ketamine).
    A claim's conditions are the ones its own sentence names, never the document's.
    """
    texts = [_text(s) for s in sentences]
    if context_ketamine is None:
        context_ketamine = ketamine_context(texts, paragraphs)
    about = claim_sentences(texts, paragraphs=paragraphs, context_ketamine=context_ketamine)
    read = subject_texts(texts)
    own = own_treatments(read, context_ketamine)
    implied_context = _implied_context(texts, read, context_ketamine, own)
    items = list_items(read, about)
    cites = [find_citations(t, links[k] if links else ()) for k, t in enumerate(texts)]
    para_cites = _paragraph_citations(cites, paragraphs)
    claims: list[Claim] = []
    for k, text in enumerate(texts):
        types = _sentence_types(k, read, about, items, implied_context, own)
        if not types:
            continue
        evidence, cited = _evidence(k, text, cites, para_cites, paragraphs)
        conditions = find_conditions(text)
        for ctype, quantity in zip(types, quantities_for(text, types, own)):
            claims.append(Claim(sentence=_index(sentences[k], k), text=text, type=ctype,
                                conditions=list(conditions), quantity=quantity,
                                evidence=evidence, citations=list(cited)))
    return claims
