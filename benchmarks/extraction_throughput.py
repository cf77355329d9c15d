"""Extraction throughput: documents and sentences per second on one core.

    python -m benchmarks.extraction_throughput [--repeat 3]

Parses each corpus folder first (not timed) and loads the lexicons, then times
`extract_document` alone over the JATS abstracts, the press releases and the
seed pages: the best of `--repeat` passes, and the first pass on its own (a
lexicon entry's regex is compiled the first time a text may match it, so the
first pass over a corpus pays for those the earlier corpora did not need).
"""
from __future__ import annotations

import argparse
import time

from benchmarks.corpus import documents
from data import lexicons
from extractors.record import extract_document

FOLDERS = (("JATS abstracts", "pmc_oa_jats"), ("press releases", "press_releases"),
           ("seed pages", "seeds"))
TARGET_ABSTRACTS_PER_S = 500


def measure(docs, repeat: int) -> tuple[float, float, int]:
    """(first pass, best pass) wall seconds of `repeat` passes, and the sentence
    count (the process is single-threaded: one core)."""
    times, sentences = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        sentences = sum(len(extract_document(d).sentences) for d in docs)
        times.append(time.perf_counter() - start)
    return times[0], min(times), sentences


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lexicons.preload()
    print(f"{'corpus':<16}{'docs':>6}{'sentences':>11}{'seconds':>9}{'docs/s':>9}{'sent/s':>9}"
          f"{'1st pass s':>12}")
    for label, folder in FOLDERS:
        docs = documents(folder)
        first, seconds, sentences = measure(docs, args.repeat)
        print(f"{label:<16}{len(docs):>6}{sentences:>11}{seconds:>9.2f}"
              f"{len(docs) / seconds:>9.0f}{sentences / seconds:>9.0f}{first:>12.2f}")
        if folder == "pmc_oa_jats":
            rate = len(docs) / seconds
            verdict = "meets" if rate >= TARGET_ABSTRACTS_PER_S else "misses"
            print(f"  target {TARGET_ABSTRACTS_PER_S} abstracts/s/core: {verdict} it "
                  f"({rate / TARGET_ABSTRACTS_PER_S:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
