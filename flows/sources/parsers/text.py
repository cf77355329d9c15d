"""Markdown and plain text -> web Documents."""
from __future__ import annotations

import html
import re
from pathlib import Path

from data.records import Document
from flows.sources.parsers._common import URL_RE, decode_text, unique

TITLE_MAX = 150
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_BULLET = re.compile(r"^(\s*)[*+-]\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_STARS = re.compile(r"(\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORES = re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")   # not snake_case or URLs
_CODE = re.compile(r"`([^`]*)`")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")              # any escaped ASCII punctuation
_SHIELDED = re.compile("[\ue000-\ue07f]")


def parse_markdown(data: str | bytes, source: str, doc_id: str, origin: str = "files") -> Document:
    """Title from the first "# " heading (else the first line); the text with the
    markup removed, link targets moved to `links`, paragraphs kept."""
    raw, text = _decoded(data)
    links = [m.group(2) for m in _LINK.finditer(_IMAGE.sub("", text))]
    plain = strip_markdown(text)
    title = _h1(text)
    title = strip_markdown(title) if title else _first_line(plain)
    links = unique(link for link in links + URL_RE.findall(plain) if link.startswith("http"))
    return Document(id=doc_id, kind="web", title=title, text=plain, source=source,
                    origin=origin, raw_format="markdown", links=links, raw=raw)


def parse_text(data: str | bytes, source: str, doc_id: str, origin: str = "files") -> Document:
    """Title: the first line when it reads like one (short, no final period),
    else the file name."""
    raw, text = _decoded(data)
    body = _paragraphs(text.splitlines())
    first = _first_line(body)
    title = first if first and len(first) < TITLE_MAX and not first.endswith(".") else Path(source).stem
    return Document(id=doc_id, kind="web", title=title, text=body, source=source, origin=origin,
                    raw_format="text", links=unique(URL_RE.findall(text)), raw=raw)


def _h1(text: str) -> str | None:
    for line in text.splitlines():
        if line.lstrip().startswith("# ") and (m := _HEADING.match(line)):
            return m.group(1)
    return None


def _decoded(data: str | bytes) -> tuple[bytes, str]:
    """(the original bytes, kept as `raw`, and the text)."""
    if isinstance(data, bytes):
        return data, decode_text(data)
    return data.encode("utf-8"), data


def strip_markdown(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if _RULE.match(line):
            lines.append("")
            continue
        # shield escaped characters ("\\*") from the markup rules, restore them last
        line = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), line)
        line = _QUOTE.sub("", line)
        line = _HEADING.sub(r"\1", line)
        line = _BULLET.sub(r"\1", line)
        line = _IMAGE.sub("", line)
        line = _LINK.sub(r"\1", line)
        line = _AUTOLINK.sub(r"\1", line)
        line = _CODE.sub(r"\1", line)
        for _ in range(2):                      # twice: nested ***x***
            line = _UNDERSCORES.sub(r"\2", _STARS.sub(r"\2", line))
        line = html.unescape(line)              # Markdown allows character references ("&amp;")
        lines.append(_SHIELDED.sub(lambda m: chr(ord(m.group()) - 0xE000), line))
    return _paragraphs(lines)


def _paragraphs(lines) -> str:
    """Lines stripped, runs of blank lines collapsed to one blank line."""
    text = "\n".join(line.strip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
