"""PubMed efetch XML parsing: this project's streaming parser against Biopython.

    python -m benchmarks.pubmed_parsing [--records 20000]

Both parse the same export (real abstracts, replicated with distinct PMIDs),
each in its own process so peak memory is its own: records per second and
peak RSS. Biopython's Entrez parser is the reference most bioinformatics
code uses. Its streaming `Entrez.parse` refuses efetch's PubmedArticleSet
since the 2019 DTD ("does not represent a list"; Biopython 1.8x), so the
comparison uses `Entrez.read`, which Biopython documents for efetch results:
it builds the whole set in memory.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SPEEDUP = 5.0


def parse_with(parser: str, export: Path) -> dict:
    from Bio import Entrez
    from flows.sources.parsers import iter_pubmed_articles
    start = time.perf_counter()
    with export.open("rb") as fh:
        if parser == "ketamine-evidence":
            n = sum(1 for _ in iter_pubmed_articles(fh))
        else:
            n = len(Entrez.read(fh, validate=False)["PubmedArticle"])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"records": n, "seconds": seconds, "peak_mb": peak}


def run(parser: str, export: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.pubmed_parsing", "--child", parser,
                          str(export)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", default="5000,20000")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(parse_with(args.child[0], Path(args.child[1]))))
        return 0
    from benchmarks.corpus import documents, write_pubmed_export
    base = documents("pmc_oa_jats")
    print(f"{'records':>8} {'MB':>6} {'parser':<22} {'rec/s':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory(prefix="ketev-parse-") as tmp:
        for n in map(int, args.records.split(",")):
            export = write_pubmed_export(Path(tmp) / f"export-{n}.xml", n, base)
            size = export.stat().st_size / 2**20
            ours, bio = run("ketamine-evidence", export), run("biopython", export)
            for name, r in (("ketamine-evidence", ours), ("Biopython Entrez.read", bio)):
                print(f"{n:>8} {size:>6.0f} {name:<22} {r['records'] / r['seconds']:>8.0f} "
                      f"{r['peak_mb']:>8.0f}")
            speedup = bio["seconds"] / ours["seconds"]
            verdict = "meets" if speedup >= TARGET_SPEEDUP else f"misses by {1 - speedup / TARGET_SPEEDUP:.0%}"
            print(f"{'':>8} speed-up x{speedup:.1f} (target x{TARGET_SPEEDUP:.0f}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
