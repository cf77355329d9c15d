"""Citations in a sentence, normalised, and evidence appeals.

Normal forms (DESIGN.md, `claims[].citations`):

- ``pmid:23982301``            "PMID: 23982301", "PMID 23982301"
- ``doi:10.1176/appi.ajp...``  "doi:10...", "DOI 10...", "https://doi.org/10..." (DOI as
                               written, trailing punctuation removed)
- ``nct:NCT01920555``          a ClinicalTrials.gov id anywhere in the text
- ``isrctn:ISRCTN79027921``    an ISRCTN id; likewise ``umin:``, ``eudract:``, ``actrn:``,
                               ``chictr:``, ``drks:``, ``irct:``, ``ntr:`` for those registries
- ``author:murrough2013``      "Murrough et al. (2013)", "(Murrough et al., 2013)",
                               "Feder and Charney (2014)", "(Zarate, 2006)"
- ``ref:3``                    numbered references "[3]", "[3, 4]", "[3-5]", and a
                               footnote digit glued to a word ("lifetime3"); a
                               bracketed range after a number ("9 [8–13]") is an IQR
- ``author:murrough2013``      also an entry of a reference list ("Murrough JW,
                               Iosifescu DV, ... Am J Psychiatry. 2013;170:1134-42.")
- the URL itself               links to PubMed, journals, registries, regulators

Identifiers inside a kept URL are not reported a second time.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable
from urllib.parse import urlsplit

from data import lexicons

_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'\])]+(?:\([^\s<>"')]*\)[^\s<>"'\])]*)*""", re.I)
_DOI = re.compile(r"""\b(?:doi\s*:?\s*)?(10\.\d{4,9}/[^\s"<>]+)""", re.I)
_PMID = re.compile(r"\bPMID\s*[:#]?\s*(\d{1,9})\b", re.I)
# Trial registries: (normal-form prefix, text the identifier needs, pattern of
# the identifier as written; groups 1 and 2 make the normal form's body).
_REGISTRIES = (
    ("nct:", "nct", re.compile(r"\b(NCT)\s?(\d{8})\b", re.I)),
    ("isrctn:", "isrctn", re.compile(r"\b(ISRCTN)\s?(\d{8})\b", re.I)),
    ("umin:", "umin", re.compile(r"\b(UMIN)\s?(\d{9})\b", re.I)),
    ("eudract:", "eudract", re.compile(r"\b()EudraCT(?:\s+(?:number|no\.?))?\s*:?\s*(\d{4}-\d{6}-\d{2})\b", re.I)),
    ("actrn:", "actrn", re.compile(r"\b(ACTRN)\s?(\d{14})\b", re.I)),
    ("chictr:", "chictr", re.compile(r"\b(ChiCTR)-?((?:[A-Z]{2,4}-)?\d{8,10})\b", re.I)),
    ("drks:", "drks", re.compile(r"\b(DRKS)\s?(\d{8})\b", re.I)),
    ("irct:", "irct", re.compile(r"\b(IRCT)\s?(\d{8,}N\d{1,3})\b", re.I)),
    # the Netherlands Trial Register: "NTR 5109", "(NTR): TC1355"
    ("ntr:", "ntr", re.compile(r"\b(NTR)\)?\s?:?\s?(?:TC\s?)?(\d{3,5})\b")),
)
# "[3]", "[3, 5-7]"; not "9 [8–13]" (a range after a number is an IQR or CI)
_NUMREF = re.compile(r"(?<!\d)(?<!\d\s)\[(\d{1,3}(?:\s*[-–,]\s*\d{1,3})+)\](?!\()"
                     r"|\[(\d{1,3})\](?!\()")
_NAME = r"[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'’\-]+"
_YEAR = r"((?:19|20)\d{2})[a-z]?"
_AUTHOR_YEAR = re.compile(
    rf"(?:\(\s*)?\b(?P<name>{_NAME})(?:\s+(?:et\s+al\.?|and\s+(?:colleagues|coworkers|{_NAME})|&\s+{_NAME}))"
    rf"\s*,?\s*\(?\s*{_YEAR}\b"
    rf"|\(\s*(?P<name2>{_NAME})\s*,\s*{_YEAR}\s*[;)]"
    rf"|\b(?P<name3>{_NAME})\s+\(\s*{_YEAR}\s*\)")
_TRAILING = ".,;:!?'\"’”"
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
# a footnote number glued to a word: "over a lifetime3 ", "in the near future¹."
_GLUED_DIGIT = re.compile(rf"[\d{_SUPERSCRIPTS}](?<=[a-z].)")   # a cheap test before _FOOTNOTE
_FOOTNOTE = re.compile(rf"\b([A-Za-z][a-z]{{3,}})(\d{{1,2}}|[{_SUPERSCRIPTS}]{{1,2}})(?=[\s.,;:)]|$)")
# one entry of a reference list: first author ("Murrough JW", "Zarate, C. A."),
# a year, and volume and pages ("2013;170(10):1134", "63(8), 856", "47:351–354")
# or "et al." (a dateline "Eugene, OR ... Dec 21, 2023" has none of these)
_ENTRY_AUTHOR = re.compile(
    rf"^\s*(?:\[\d{{1,3}}\]|\d{{1,3}}\.)?\s*({_NAME}),?\s+(?:[A-Z]{{1,3}}\b|[A-Z]\.)")
_ENTRY_YEAR = re.compile(rf"\b{_YEAR}\b")
_ENTRY_SOURCE = re.compile(r"\b(?:19|20)\d{2}[a-z]?\s*;\s*\d+"
                           r"|\b\d+\s*\(\s*\d+(?:\s*[-–]\s*\d+)?\s*\)\s*[:,]\s*[A-Za-z]?\d+"
                           r"|\b\d+\s*:\s*[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+|\bet\s+al\b")
_DIGIT = re.compile(rf"[\d{_SUPERSCRIPTS}]")
_YEAR_ANY = re.compile(r"(?:19|20)\d\d")
_NOT_AUTHORS = frozenset({
    "In", "On", "At", "By", "Since", "From", "Until", "The", "A", "An", "And", "Or", "As",
    "For", "Of", "To", "During", "After", "Before", "Between", "Through", "Spring", "Summer",
    "Fall", "Autumn", "Winter", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "Ketamine",
    "Esketamine", "Spravato", "Phase", "Study", "Trial", "Approved", "Updated", "Published",
    "Fiscal", "Q1", "Q2", "Q3", "Q4", "Year", "Copyright",
})


def _strip_trailing(s: str) -> str:
    s = s.rstrip(_TRAILING)
    # drop unbalanced closing brackets: "(doi:10.1/abc)" -> "10.1/abc"
    while s and s[-1] in ")]" and s.count(s[-1]) > s.count("(" if s[-1] == ")" else "["):
        s = s[:-1].rstrip(_TRAILING)
    return s


def _host(url: str) -> str:
    u = url if "://" in url else "http://" + url
    try:
        return (urlsplit(u).hostname or "").lower()
    except ValueError:
        return ""


def is_citable_url(url: str) -> bool:
    """True for a link to PubMed/PMC, a journal, a trial registry or a regulator."""
    lx = lexicons.evidence()
    host = _host(url)
    full = url.lower()
    for dom in lx.citable_domains:
        if "/" in dom:
            if dom in full:
                return True
        elif host == dom or host.endswith("." + dom):
            return True
    return False


def _url_citation(url: str) -> str:
    """doi.org links become doi:..., every other citable link stays a URL."""
    url = _strip_trailing(url)
    host = _host(url)
    if host.endswith("doi.org"):
        m = _DOI.search(url)
        if m:
            return "doi:" + _strip_trailing(m.group(1))
    return url


def find_citations(text: str, links: Iterable[str] = ()) -> list[str]:
    """Normalised citations found in `text` (and citable `links`), in order, unique."""
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    low = lexicons.lowered(text)
    has_digit = _DIGIT.search(text) is not None
    links = [l for l in links if l]
    if not has_digit and "http" not in low and "www." not in low and not links:
        return []

    for m in (_URL.finditer(text) if ("http" in low or "www." in low) else ()):
        url = m.group(0)
        if is_citable_url(url):
            found.append((m.start(), _url_citation(url)))
        spans.append(m.span())   # identifiers inside any URL are not cited twice

    def outside(pos: int) -> bool:
        return not any(a <= pos < b for a, b in spans)

    if not has_digit:
        return _finish(found, text, links)
    for m in (_DOI.finditer(text) if "10." in text else ()):
        if outside(m.start(1)):
            found.append((m.start(), "doi:" + _strip_trailing(m.group(1))))
    for m in (_PMID.finditer(text) if "pmid" in low else ()):
        if outside(m.start()):
            found.append((m.start(), "pmid:" + m.group(1)))
    for prefix, needs, rx in _REGISTRIES:
        for m in (rx.finditer(text) if needs in low else ()):
            if outside(m.start()):
                found.append((m.start(), prefix + m.group(1).upper() + m.group(2)))
    for m in (_NUMREF.finditer(text) if "[" in text else ()):
        if outside(m.start()):
            for n in _expand_refs(m.group(1) or m.group(2)):
                found.append((m.start(), f"ref:{n}"))
    for m in (_FOOTNOTE.finditer(text) if _GLUED_DIGIT.search(text) else ()):
        if outside(m.start()) and m.group(1).lower() not in lexicons.evidence().not_footnotes:
            number = "".join(str(unicodedata.digit(ch)) for ch in m.group(2))
            found.append((m.start(2), f"ref:{int(number)}"))
    entry = _reference_entry(text)
    if entry:
        found.append(entry)
    for m in (_AUTHOR_YEAR.finditer(text) if _YEAR_ANY.search(text) else ()):
        if not outside(m.start()):
            continue
        if m.group("name"):
            name, year = m.group("name"), m.group(2)
        elif m.group("name2"):
            name, year = m.group("name2"), m.group(4)
        else:
            name, year = m.group("name3"), m.group(6)
        if name in _NOT_AUTHORS or name.isupper():
            continue
        key = _author_key(name)
        if key:
            found.append((m.start(), f"author:{key}{year}"))

    return _finish(found, text, links)


def _finish(found: list[tuple[int, str]], text: str, links: list[str]) -> list[str]:
    for link in links:
        if is_citable_url(link):
            found.append((len(text), _url_citation(link)))
    out: list[str] = []
    for _, c in sorted(found, key=lambda t: t[0]):
        if c not in out:
            out.append(c)
    return out


def _author_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("’", "'"))


def _reference_entry(text: str) -> tuple[int, str] | None:
    """(position, "author:surnameYEAR") when `text` is one entry of a reference list."""
    author = _ENTRY_AUTHOR.match(text)
    if author is None or author.group(1) in _NOT_AUTHORS:
        return None
    year = _ENTRY_YEAR.search(text, author.end())
    if year is None or _ENTRY_SOURCE.search(text, author.end()) is None:
        return None
    return author.start(1), f"author:{_author_key(author.group(1))}{year.group(1)}"


def is_reference_entry(text: str) -> bool:
    """Is `text` one entry of a reference list (authors, year, volume and pages)?"""
    return _reference_entry(text) is not None


def _expand_refs(body: str) -> list[int]:
    nums: list[int] = []
    for part in re.split(r"\s*,\s*", body):
        if re.search(r"[-–]", part):
            a, b = (int(x) for x in re.split(r"\s*[-–]\s*", part)[:2])
            if 0 < b - a <= 50:
                nums.extend(range(a, b + 1))
            else:
                nums.extend([a, b])
        elif part.strip():
            nums.append(int(part))
    return nums


def is_vague_appeal(text: str, *, web: bool = True, results: bool = False) -> bool:
    """True when the sentence appeals to research ("studies show", "proven").

    In web text (`web`), a source named for a fact ("according to the
    company"), data or polls that "show" something, and (`results`) a
    treatment result given in the sentence (`is_treatment_result`) appeal
    too; in an abstract they are the study's own evidence. Whether a
    reference nearby backs a result is for the caller to decide (see
    `extractors.labels.label_document`).
    """
    if lexicons.evidence().vague.search(text) is not None:
        return True
    if not web:
        return False
    ctx = lexicons.evidence_context()
    if ctx.web_appeals.search(text) is not None:
        work, changed = ctx.web_exclude.blank(text)
        if not changed or ctx.web_appeals.search(work) is not None:
            return True
    return results and is_treatment_result(text)


def is_treatment_result(text: str) -> bool:
    """Does the sentence give a treatment result: a share of patients who
    improved, a response rate, a result against placebo or another control
    arm? (Epidemiology, prices and business figures name no outcome.)"""
    ctx = lexicons.evidence_context()
    return ctx.statistic.search(text) is not None or ctx.trial_result.search(text) is not None


# "(3)", "(2, 5)", "(4-6)" after a word or a closing bracket, before
# punctuation or the end: a numbered marker when the document has a
# reference list (a list item "(1) access to ..." opens its sentence)
_PAREN_MARKER = re.compile(
    r"(?<=[A-Za-z.,;:)\]’”\"])\s?\((\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\)(?=[.,;:!?]|\s*$|\s+[A-Z])")
_CARET_MARKER = re.compile(r"(?<=[A-Za-z.,;:)\]])\^(\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)")


def find_reference_markers(text: str) -> list[str]:
    """Numbered markers that only a reference list makes citations:
    "(3)", "(2, 5)", "^4" (normal form ``ref:N``)."""
    if "(" not in text and "^" not in text:
        return []
    out: list[str] = []
    for rx in (_PAREN_MARKER, _CARET_MARKER):
        for m in rx.finditer(text):
            for n in _expand_refs(m.group(1)):
                c = f"ref:{n}"
                if c not in out:
                    out.append(c)
    return out


def has_reference_list(texts: Iterable[str]) -> bool:
    """Does the document end in (or hold) a reference list: a heading such as
    "References" followed by entries, or at least two reference entries?"""
    texts = list(texts)
    headings = lexicons.evidence_context().reference_headings
    entries = 0
    for k, t in enumerate(texts):
        if is_reference_entry(t):
            entries += 1
            if entries >= 2:
                return True
        elif len(t.split()) <= 3 and headings.fullmatch(t.strip().rstrip(":").strip()):
            if any(is_reference_entry(x) or find_citations(x) for x in texts[k + 1:k + 4]):
                return True
    return False


def evidence_of(text: str, links: Iterable[str] = ()) -> tuple[str, list[str]]:
    """("cited", citations) | ("vague", []) | ("none", []) for one sentence."""
    cites = find_citations(text, links)
    if cites:
        return "cited", cites
    if is_vague_appeal(text):
        return "vague", []
    return "none", []
