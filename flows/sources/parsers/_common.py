"""Helpers shared by the format parsers: errors, whitespace, dates, decoding."""
from __future__ import annotations

import codecs
import re

from lxml import etree

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{}/"
PMC_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{}/"

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_TEXT_DATE = re.compile(r"(\d{4})(?:[\s/-]+([A-Za-z]{3,}|\d{1,2}\b)(?:[\s/-]+(\d{1,2})\b)?)?")
_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
URL_RE = re.compile(r"""https?://[^\s<>"'()\[\]{}]+[^\s<>"'()\[\]{}.,;:!?]""")


class ParseError(ValueError):
    """A file or payload that cannot be parsed; the message says what is wrong."""


def xml_parser(**extra) -> etree.XMLParser:
    """Hardened parser: no DTD loading, no network, no entity expansion (XXE,
    billion laughs) and libxml2's size limits kept (huge_tree=False)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, **extra)


def xml_error(e: etree.XMLSyntaxError) -> ParseError:
    kind = "truncated XML" if "Premature end" in (e.msg or "") else "invalid XML"
    return ParseError(f"{kind}: {e.msg or e}")


def norm_ws(text: str | None) -> str:
    """Whitespace runs as one space, ends stripped: " ".join(text.split()).
    Most text is so already, and checking that costs a third of splitting."""
    if not text:
        return ""
    if (text[0] != " " and text[-1] != " " and "  " not in text
            and text.isprintable()):          # every whitespace but " " is unprintable
        return text
    return " ".join(text.split())


def text_of(elem) -> str:
    """All text under an element (inline markup like <sub>, <i> flattened); the
    usual element without markup skips the costlier itertext."""
    if elem is None:
        return ""
    return norm_ws("".join(elem.itertext()) if len(elem) else elem.text)


def iso_date(year, month=None, day=None) -> str | None:
    """"2013", "2013-10" or "2013-10-05" from parts; months may be names ("Oct")."""
    if not year or not str(year).strip().isdigit():
        return None
    out = str(year).strip()
    m = _month_number(month)
    if m:
        out += f"-{m:02d}"
        if day and str(day).strip().isdigit() and 1 <= int(day) <= 31:
            out += f"-{int(day):02d}"
    return out


def _month_number(month) -> int | None:
    if month is None:
        return None
    s = str(month).strip().lower()
    if s.isdigit():
        return int(s) if 1 <= int(s) <= 12 else None
    return _MONTHS.get(s[:3])


def textual_date(text: str | None) -> str | None:
    """A MedlineDate or MEDLINE DP ("1998 Dec-1999 Jan", "2006 Mar 1", "2000 Spring")
    as an ISO-ish date; the first date of a range wins."""
    m = _TEXT_DATE.search(text or "")
    return iso_date(*m.groups()) if m else None


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 are read as cp1252, one at a time, so that a
    mostly-UTF-8 page with a stray Windows byte keeps its UTF-8 intact."""
    bad = err.object[err.start:err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error("ketev-cp1252", _cp1252_fallback)


def decode_text(data: bytes) -> str:
    """A BOM, else UTF-8, else a declared charset, else UTF-8 with stray bytes
    read as cp1252 (mixed encodings); never raises."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="ketev-cp1252")


def unique(items) -> list:
    """Items in first-seen order, without duplicates or empties."""
    return list(dict.fromkeys(i for i in items if i))
