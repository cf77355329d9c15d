"""PubMed efetch XML parsing: this project's streaming parser against Biopython.

    python -m benchmarks.pubmed_parsing [--records 5000,20000]

Both parse the same export (real abstracts, replicated with distinct PMIDs),
each in its own process so peak memory is its own: records per second and
peak RSS, and the RSS the parse added to the imports. Biopython's Entrez
parser is the reference most bioinformatics code uses. Its streaming
`Entrez.parse` refuses efetch's PubmedArticleSet since the 2019 DTD ("does
not represent a list"; Biopython 1.8x), so the comparison uses `Entrez.read`,
which Biopython documents for efetch results: it builds the whole set in memory.

The work differs: ours builds the pipeline's `Document` (fields normalised)
and serialises each article's XML for the archive (`Document.raw`);
Biopython builds nested dicts of every element. Two more runs show where our
time goes: lxml's iterparse alone (libxml2 building each article's tree, the
floor of any lxml parser) and iterparse with the serialisation for the archive.

Speed-ups are on CPU time: both parsers use one core, and on a shared machine
the wall clock also counts waiting for one (wall-clock figures are printed too).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SPEEDUP = 5.0
OURS, BIOPYTHON = "ketamine-evidence", "Biopython Entrez.read"
TREE, TREE_RAW = "lxml iterparse alone", "iterparse + raw XML"


def _counter(parser: str):
    """The parse to time, as a function of an open file returning the record count."""
    if parser == BIOPYTHON:
        from Bio import Entrez
        return lambda fh: len(Entrez.read(fh, validate=False)["PubmedArticle"])
    from lxml import etree
    from flows.sources.parsers.pubmed_xml import iter_article_elements, iter_pubmed_articles
    return {
        OURS: lambda fh: sum(1 for _ in iter_pubmed_articles(fh)),
        TREE: lambda fh: sum(1 for _ in iter_article_elements(fh)),
        TREE_RAW: lambda fh: sum(1 for e in iter_article_elements(fh)
                                 if etree.tostring(e, encoding="utf-8")),
    }[parser]


def parse_with(parser: str, export: Path) -> dict:
    count = _counter(parser)
    imported_mb = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    with export.open("rb") as fh:
        n = count(fh)
    return {"records": n, "seconds": time.perf_counter() - wall,
            "cpu_seconds": time.process_time() - cpu,
            "peak_mb": _peak_mb(), "parse_mb": _peak_mb() - imported_mb}


def _peak_mb() -> float:
    """Peak RSS of this process. Linux carries ru_maxrss over an exec, so a
    child would report its parent's peak; VmHWM is the process's own."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return next(int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmHWM:")) / 1024


def run(parser: str, export: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.pubmed_parsing", "--child", parser,
                          str(export)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def report(n: int, size_mb: float, runs: dict[str, dict]) -> None:
    for name, r in runs.items():
        print(f"{n:>8} {size_mb:>6.0f} {name:<22} {r['records'] / r['seconds']:>8.0f} "
              f"{r['records'] / r['cpu_seconds']:>9.0f} {r['peak_mb']:>8.0f} {r['parse_mb']:>8.0f}")
    cpu = {name: r["cpu_seconds"] for name, r in runs.items()}
    speedup = cpu[BIOPYTHON] / cpu[OURS]
    wall = runs[BIOPYTHON]["seconds"] / runs[OURS]["seconds"]
    verdict = ("meets" if speedup >= TARGET_SPEEDUP
               else f"misses by {1 - speedup / TARGET_SPEEDUP:.0%}")
    print(f"{'':>8} speed-up x{speedup:.1f} CPU, x{wall:.1f} wall (target x{TARGET_SPEEDUP:.0f}: {verdict})")
    tree, raw = cpu[TREE] / cpu[OURS], (cpu[TREE_RAW] - cpu[TREE]) / cpu[OURS]
    print(f"{'':>8} our CPU time: {tree:.0%} libxml2 building the tree, {raw:.0%} serialising raw "
          f"XML for the archive, {1 - tree - raw:.0%} reading the fields in Python; "
          f"the tree alone is x{cpu[BIOPYTHON] / cpu[TREE]:.1f} Biopython")


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
    print(f"{'records':>8} {'MB':>6} {'parser':<22} {'rec/s':>8} {'CPU rec/s':>9} "
          f"{'peak MB':>8} {'parse MB':>8}")
    with tempfile.TemporaryDirectory(prefix="ketev-parse-") as tmp:
        for n in map(int, args.records.split(",")):
            export = write_pubmed_export(Path(tmp) / f"export-{n}.xml", n, base)
            report(n, export.stat().st_size / 2**20,
                   {name: run(name, export) for name in (OURS, BIOPYTHON, TREE, TREE_RAW)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
