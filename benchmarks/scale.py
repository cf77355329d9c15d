"""Scale: the whole pipeline on 1k, 5k and 25k abstracts from a local PubMed export.

    python -m benchmarks.scale [--sizes 1000,5000,25000] [--repeat 2]

For each size, an efetch-shaped export of real abstracts (replicated with
distinct PMIDs) is written, then imported twice in fresh workdirs:
- `ketamine-evidence run --from EXPORT --no-live` as a researcher runs it
  (wall time, and the peak memory of the largest process in its tree);
- the same stages called as plain functions, without Prefect, timed one by one
  (parsing, storage, extraction, verdicts, reporting), extraction in the same
  pool of worker processes the flow uses.
Orchestration is what the flow costs beyond the plain stages, whose clock starts
after their imports: starting Python and importing Prefect and the pipeline,
Prefect's temporary API server (started first, so that it boots while the rest
loads: flows/temporary_api.py), the flow and task runs and their state
reporting, and shutting down. With PREFECT_API_URL set the runs use that server.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS_25K, TARGET_MB, TARGET_ORCHESTRATION = 120, 1024, 0.10
TARGET_MEMORY_GROWTH = 1.25   # "flat": peak memory at the largest size over that at the smallest
WORKERS = 2   # the flow's default (settings.workers)


def plain_run(export: Path, workdir: Path) -> dict:
    """The flow's stages without Prefect, each timed."""
    from data.store import EvidenceStore
    from flows.sources.files import read_file
    from flows.stages import _pool, extract_or_error, judge_all_claims
    from reports.builder import build_reports

    timings: dict[str, float] = {"parse": 0.0, "store": 0.0, "extract": 0.0}
    start = time.perf_counter()
    store = EvidenceStore.open(workdir)
    run_id = store.start_run({})
    batch, docs = [], read_file(export)
    while True:
        t = time.perf_counter()
        doc = next(docs, None)
        timings["parse"] += time.perf_counter() - t
        if doc is not None:
            batch.append(doc)
        if batch and (doc is None or len(batch) == 500):
            t = time.perf_counter()
            store.ingest(batch, run_id)
            timings["store"] += time.perf_counter() - t
            batch = []
        if doc is None:
            break
    after, pool = 0, _pool(WORKERS)
    while pending := store.pending_extraction(1000, after_pk=after):
        t = time.perf_counter()
        results = list(zip((pk for pk, _ in pending),
                           pool.map(extract_or_error, [d for _, d in pending], chunksize=32)))
        timings["extract"] += time.perf_counter() - t
        t = time.perf_counter()
        store.save_extractions(results)
        timings["store"] += time.perf_counter() - t
        after = pending[-1][0]
    t = time.perf_counter()
    judge_all_claims(store, run_id)
    timings["verdicts"] = time.perf_counter() - t
    t = time.perf_counter()
    build_reports(store, workdir / "reports", run_id)
    timings["report"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    return timings


def _child(args: list[str]) -> tuple[float, float, str]:
    """Run a command; its wall time, the peak RSS (MB) of the largest process in its tree, stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err,
                                env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
        _, status, usage = os.wait4(proc.pid, 0)   # rusage of this child and what it reaped
        wall = time.perf_counter() - start
        out.seek(0), err.seek(0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(args)} failed:\n{err.read()[-3000:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


def measure(n: int, tmp: Path, repeat: int = 1) -> dict:
    """The flow and the plain stages, in turn `repeat` times; the fastest of each
    (a machine shared with other work slows some runs), the highest peak memory."""
    from benchmarks.corpus import write_pubmed_export
    export = write_pubmed_export(tmp / f"export-{n}.xml", n)
    flows, plains = [], []
    for _ in range(repeat):
        flows.append(_child([str(Path(sys.executable).parent / "ketamine-evidence"), "run",
                             "--from", str(export), "--no-live", "--workdir", str(tmp / "flow")]))
        plains.append(_child([sys.executable, "-m", "benchmarks.scale", "--plain", str(export),
                              str(tmp / "plain")]))
        for workdir in ("flow", "plain"):
            shutil.rmtree(tmp / workdir)
    flow_wall = min(wall for wall, _, _ in flows)
    stages = min((json.loads(out) for _, _, out in plains), key=lambda s: s["total"])
    return {"n": n, "flow_seconds": flow_wall, "flow_peak_mb": max(mb for _, mb, _ in flows),
            "plain_peak_mb": max(mb for _, mb, _ in plains), "stages": stages,
            "orchestration": max(0.0, flow_wall - stages["total"]) / flow_wall,
            "export_mb": export.stat().st_size / 2**20}


def report(rows: list[dict]) -> None:
    print(f"{'abstracts':>9} {'flow s':>7} {'docs/s':>7} {'peak MB':>8} {'orch s':>7} {'orch %':>7} | "
          f"{'parse':>6} {'store':>6} {'extract':>7} {'verdict':>7} {'report':>6} {'plain s':>7}")
    for r in rows:
        s = r["stages"]
        print(f"{r['n']:>9} {r['flow_seconds']:>7.1f} {r['n'] / r['flow_seconds']:>7.0f} "
              f"{r['flow_peak_mb']:>8.0f} {r['orchestration'] * r['flow_seconds']:>7.1f} "
              f"{100 * r['orchestration']:>6.1f}% | {s['parse']:>6.1f} "
              f"{s['store']:>6.1f} {s['extract']:>7.1f} {s['verdicts']:>7.1f} {s['report']:>6.1f} "
              f"{s['total']:>7.1f}")
    targets = []
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = (last["flow_seconds"] / first["flow_seconds"]) / (last["n"] / first["n"])
        memory = last["flow_peak_mb"] / first["flow_peak_mb"]
        print(f"time per document at {last['n']} vs {first['n']}: x{growth:.2f} (1.00 = linear); "
              f"peak memory x{memory:.2f}")
        targets.append((f"peak memory growth {first['n']} to {last['n']}", memory, TARGET_MEMORY_GROWTH,
                        "x{:.2f}"))
    big = next((r for r in rows if r["n"] >= 25_000), None)
    if big:
        targets += [("25k wall time (s)", big["flow_seconds"], TARGET_SECONDS_25K, "{:.0f}"),
                    ("25k peak memory (MB)", big["flow_peak_mb"], TARGET_MB, "{:.0f}"),
                    ("25k orchestration share", big["orchestration"], TARGET_ORCHESTRATION, "{:.1%}")]
    for name, value, target, fmt in targets:
        verdict = "meets" if value <= target else f"misses by {value / target - 1:.0%}"
        print(f"target {name} <= {fmt.format(target)}: {fmt.format(value)}, {verdict}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,25000")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each kind per size, the fastest kept (default 1)")
    parser.add_argument("--plain", nargs=2, metavar=("EXPORT", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.plain:
        print(json.dumps(plain_run(Path(args.plain[0]), Path(args.plain[1]))))
        return 0
    with tempfile.TemporaryDirectory(prefix="ketev-scale-") as tmp:
        rows = [measure(int(n), Path(tmp), args.repeat) for n in args.sizes.split(",")]
    report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
