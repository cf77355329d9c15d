"""Citations in a sentence, normalised, and evidence appeals.

Normal forms (DESIGN.md, `claims[].citations`):

- ``pmid:23982301``            "PMID: 23982301", "PMID 23982301"
- ``doi:10.1176/appi.ajp...``  "doi:10...", "DOI 10...", "https://doi.org/10..." (DOI as
                               written, trailing punctuation removed)
- ``nct:NCT01920555``          a ClinicalTrials.gov id anywhere in the text
- ``isrctn:ISRCTN79027921``    an ISRCTN id
- ``author:murrough2013``      "Murrough et al. (2013)", "(Murrough et al., 2013)",
                               "Feder and Charney (2014)", "(Zarate, 2006)"
- ``ref:3``                    numbered references "[3]", "[3, 4]", "[3-5]"
- the URL itself               links to PubMed, journals, registries, regulators

Identifiers inside a kept URL are not reported a second time.
"""
from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import urlsplit

from data import lexicons

_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'\])]+(?:\([^\s<>"')]*\)[^\s<>"'\])]*)*""", re.I)
_DOI = re.compile(r"""\b(?:doi\s*:?\s*)?(10\.\d{4,9}/[^\s"<>]+)""", re.I)
_PMID = re.compile(r"\bPMID\s*[:#]?\s*(\d{1,9})\b", re.I)
_NCT = re.compile(r"\bNCT\s?(\d{8})\b", re.I)
_ISRCTN = re.compile(r"\bISRCTN\s?(\d{8})\b", re.I)
_NUMREF = re.compile(r"\[(\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\](?!\()")
_NAME = r"[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'’\-]+"
_YEAR = r"((?:19|20)\d{2})[a-z]?"
_AUTHOR_YEAR = re.compile(
    rf"(?:\(\s*)?\b(?P<name>{_NAME})(?:\s+(?:et\s+al\.?|and\s+(?:colleagues|coworkers|{_NAME})|&\s+{_NAME}))"
    rf"\s*,?\s*\(?\s*{_YEAR}\b"
    rf"|\(\s*(?P<name2>{_NAME})\s*,\s*{_YEAR}\s*[;)]"
    rf"|\b(?P<name3>{_NAME})\s+\(\s*{_YEAR}\s*\)")
_TRAILING = ".,;:!?'\"’”"
_DIGIT = re.compile(r"\d")
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
    for m in (_NCT.finditer(text) if "nct" in low else ()):
        if outside(m.start()):
            found.append((m.start(), "nct:NCT" + m.group(1)))
    for m in (_ISRCTN.finditer(text) if "isrctn" in low else ()):
        if outside(m.start()):
            found.append((m.start(), "isrctn:ISRCTN" + m.group(1)))
    for m in (_NUMREF.finditer(text) if "[" in text else ()):
        if outside(m.start()):
            for n in _expand_refs(m.group(1)):
                found.append((m.start(), f"ref:{n}"))
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
        key = re.sub(r"[^a-z]", "", name.lower().replace("’", "'"))
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


def is_vague_appeal(text: str) -> bool:
    """True when the sentence appeals to research ("studies show", "proven")."""
    return lexicons.evidence().vague.search(text) is not None


def evidence_of(text: str, links: Iterable[str] = ()) -> tuple[str, list[str]]:
    """("cited", citations) | ("vague", []) | ("none", []) for one sentence."""
    cites = find_citations(text, links)
    if cites:
        return "cited", cites
    if is_vague_appeal(text):
        return "vague", []
    return "none", []
