"""Page text: trafilatura (what the pipeline uses) against BeautifulSoup `get_text`.

    python -m benchmarks.page_text

The seed articles and press releases are text; each is wrapped in the page
furniture a clinic site carries (navigation, cookie banner, share buttons,
comment form, cart widget, footer) and both extractors are timed on the
result. Debris is the share of furniture lines still present in the
extracted text; recall is the share of the article's own paragraphs kept.
"""
from __future__ import annotations

import html
import time

import trafilatura
from bs4 import BeautifulSoup

from benchmarks.corpus import documents

DEBRIS = ["Home", "About us", "Book now", "Contact", "We use cookies to improve your experience.",
          "Accept all cookies", "Share on Facebook", "Share on X", "Leave a Reply",
          "Your email address will not be published.", "Add to cart", "Your cart is empty",
          "Copyright 2025 Example Clinic. All rights reserved.", "Privacy policy"]


def page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    nav = "".join(f'<li><a href="/{i}">{d}</a></li>' for i, d in enumerate(DEBRIS[:4]))
    return (f"<html><head><title>{html.escape(title)}</title></head><body>"
            f"<header><nav><ul>{nav}</ul></nav></header>"
            f'<div class="cookie-banner"><p>{DEBRIS[4]}</p><button>{DEBRIS[5]}</button></div>'
            f"<main><article><h1>{html.escape(title)}</h1>{body}</article>"
            f'<div class="share"><a href="#">{DEBRIS[6]}</a> <a href="#">{DEBRIS[7]}</a></div>'
            f'<section class="comments"><h3>{DEBRIS[8]}</h3><p>{DEBRIS[9]}</p>'
            f'<form><textarea></textarea><button>Post comment</button></form></section></main>'
            f'<aside class="cart"><button>{DEBRIS[10]}</button><p>{DEBRIS[11]}</p></aside>'
            f"<footer><p>{DEBRIS[12]}</p><a href='/privacy'>{DEBRIS[13]}</a></footer></body></html>")


def extractors():
    return {
        "trafilatura": lambda h: trafilatura.extract(h, include_comments=False, include_tables=False,
                                                     favor_precision=True) or "",
        "BeautifulSoup get_text": lambda h: BeautifulSoup(h, "lxml").get_text("\n"),
    }


def score(text: str, paragraphs: list[str]) -> tuple[float, float]:
    debris = sum(d in text for d in DEBRIS) / len(DEBRIS)
    kept = sum(p[:60] in text for p in paragraphs) / max(1, len(paragraphs))
    return debris, kept


def main() -> int:
    docs = documents("seeds") + documents("press_releases")
    pages = [(page(d.title, [p for p in d.text.split("\n") if p.strip()]),
              [p.strip() for p in d.text.split("\n") if len(p.strip()) > 60]) for d in docs]
    print(f"{len(pages)} pages (5 seeds, {len(pages) - 5} press releases) wrapped in page furniture")
    print(f"{'extractor':<24}{'ms/page':>9}{'debris kept':>13}{'text kept':>11}")
    for name, extract in extractors().items():
        start = time.perf_counter()
        texts = [extract(h) for h, _ in pages]
        ms = 1000 * (time.perf_counter() - start) / len(pages)
        scores = [score(t, paras) for t, (_, paras) in zip(texts, pages)]
        debris = sum(s[0] for s in scores) / len(scores)
        kept = sum(s[1] for s in scores) / len(scores)
        print(f"{name:<24}{ms:>9.1f}{debris:>12.0%}{kept:>11.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
