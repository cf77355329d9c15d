"""Sentence splitting for web pages, press releases and abstracts.

- Paragraphs: blank lines always separate paragraphs; with `line_breaks=True`
  (web text, one paragraph per line) every line is a paragraph too, so a
  heading without final punctuation becomes its own sentence. A line (or a
  block after a blank line) that starts in lower case after a line without
  final punctuation is a hard wrap and is joined to it.
- Page debris lines (image links, share buttons, comment forms, cart widgets,
  cookie notices, lone URLs, link-only lines that cite nothing) are dropped;
  the patterns are in `data/lexicons/sentences.toml`.
- Inside a paragraph a sentence ends at `.`, `!`, `?` or `…` followed by
  space and a capital, a digit or an opening quote/bracket, unless the word
  before the full stop is an abbreviation ("Dr.", "e.g.", "vs.", "et al.",
  "U.S."), an abbreviation before a number ("No. 5", "Fig. 2"), an initial
  ("J. Smith"), or a list number at the start of the paragraph ("1. ...").
  Decimals ("0.5 mg/kg", "p < 0.05") never split: no space follows their point.
- A line of web text that is an entry of a reference list ("Murrough JW, ...
  Am J Psychiatry. 2013;170(10):1134-42.") is one sentence: it is one reference.
"""
from __future__ import annotations

import re

from data import lexicons
from extractors.citations import find_citations, is_reference_entry

_CAND = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_BULLET = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+•·▪●◦–—]\s+)+")
_LINK_ONLY = re.compile(r"^(?:\s*\[[^\]]*\]\(([^)\s]+)[^)]*\)\s*)+$")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)[^)]*\)")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_LIST_NUM = re.compile(r"^\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})$")
_HAS_WORD = re.compile(r"[^\W_]")
# runs of spaces to one space; a single space is left as it is (one match per
# word would make this the slowest step of splitting)
_SPACE = re.compile(r"[\t\u00a0\u2009\u202f][ \t\u00a0\u2009\u202f]*| [ \t\u00a0\u2009\u202f]+")
_MAX_DEBRIS = 400
_TERMINAL = re.compile(r"[.!?…:;\"'”’)\]]\s*$")


def is_debris(line: str) -> bool:
    """True for a line of page furniture that carries no content."""
    s = _BULLET.sub("", line).strip()
    if not s:
        return True
    lx = lexicons.sentences()
    if len(s) > _MAX_DEBRIS:
        return False                 # a long line is content, whatever it mentions
    if lx.debris_line.match(s) or lx.debris_contains.search(s):
        return True
    m = _LINK_ONLY.match(s)
    if m:
        return not find_citations(s)
    return False


def _continues(previous: str, line: str) -> bool:
    """Is `line` the rest of a hard-wrapped sentence begun in `previous`?"""
    return bool(previous) and line[:1].islower() and not _TERMINAL.search(previous)


def _paragraphs(text: str, line_breaks: bool) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    paras: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_BULLET.sub("", ln).strip() for ln in block.split("\n")
                 if ln.strip() and not is_debris(ln)]
        if not lines:
            continue
        if not line_breaks:
            lines = [" ".join(lines)]
        for ln in lines:
            if paras and _continues(paras[-1], ln):
                paras[-1] = f"{paras[-1]} {ln}"
            else:
                paras.append(ln)
    return [_SPACE.sub(" ", p).strip() for p in paras]


def _starts_sentence(rest: str) -> bool:
    """Does the text after a candidate boundary look like a new sentence?"""
    s = rest.lstrip()
    if not s:
        return False
    c = s[0]
    if c.isupper() or c.isdigit():
        return True
    if c in "\"'“‘([" and len(s) > 1:
        return s[1].isupper() or s[1].isdigit()
    return False


def _split_paragraph(p: str) -> list[str]:
    lx = lexicons.sentences()
    out: list[str] = []
    start = 0
    for m in _CAND.finditer(p):
        end = m.end()
        rest = p[end:]
        if not _starts_sentence(rest):
            continue
        punct = m.group(0)
        if punct.startswith(".") and len(punct.rstrip("\"'”’)]")) == 1:
            before = p[start:m.start()]
            parts = before.rsplit(None, 1)
            token = parts[-1] if parts and not before[-1:].isspace() else ""
            bare = token.lstrip("([\"'“‘").lower()
            nxt = rest.lstrip()[:1]
            if bare in lx.abbreviations:
                continue
            if bare in lx.before_number and nxt.isdigit():
                continue
            if _DOTTED.fullmatch(bare):                          # e.g / i.e / u.s.a
                continue
            if len(token) == 1 and token.isupper():            # an initial, unless "group B."
                prev = before[: -len(token)].rstrip().rsplit(" ", 1)[-1].lower()
                if prev not in lx.initial_exceptions and before.strip() != token:
                    continue
            if _LIST_NUM.match(token) and before.strip() == token:   # "1. Depression:"
                continue
        sent = p[start:end].strip()
        if sent:
            out.append(sent)
        start = end
    tail = p[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if _HAS_WORD.search(s)]


def split_text(text: str, *, line_breaks: bool = True) -> list[tuple[int, str]]:
    """Sentences of `text` as (paragraph index, sentence), in order."""
    result: list[tuple[int, str]] = []
    for pi, para in enumerate(_paragraphs(text or "", line_breaks)):
        # a web line that is a reference-list entry stays whole
        sentences = [para] if line_breaks and is_reference_entry(para) else _split_paragraph(para)
        for s in sentences:
            result.append((pi, s))
    return result


def split_paragraphs(text: str, *, line_breaks: bool = True) -> list[list[str]]:
    """Sentences grouped by paragraph."""
    groups: dict[int, list[str]] = {}
    for pi, s in split_text(text, line_breaks=line_breaks):
        groups.setdefault(pi, []).append(s)
    return [groups[k] for k in sorted(groups)]


def split_sentences(text: str, *, line_breaks: bool = True) -> list[str]:
    """The sentences of `text`, in order (see the module docstring)."""
    return [s for _, s in split_text(text, line_breaks=line_breaks)]


def links_in(text: str) -> list[str]:
    """URLs of Markdown links in a sentence."""
    return _LINK.findall(text)
