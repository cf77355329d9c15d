"""Incremental run with nothing new, against local fakes of every live service.

    python -m benchmarks.incremental [--records 2000]

A first run collects PubMed, Europe PMC, ClinicalTrials.gov and one clinic
page from a loopback server; the second run, with nothing new, should cost
one request per source and little time. Prints wall time and requests of both.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from pytest_httpserver import HTTPServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "live"))
from live_fixtures import (FakeCtgov, FakeEuropePMC, FakeEutils, ctgov_study,  # noqa: E402
                           europepmc_result, pmids, serve_clinic_page)

from data.store import EvidenceStore  # noqa: E402
from flows.settings import Settings  # noqa: E402
from flows.sources import web  # noqa: E402
from flows.sources.live import LIVE_SOURCES, collect_source  # noqa: E402


def one_run(store: EvidenceStore, settings: Settings, page: str) -> tuple[float, dict]:
    start = time.perf_counter()
    run_id = store.start_run({})
    stats = {name: collect_source(name, store, settings, ["trd", "ptsd"], run_id, urls=[page])
             for name in LIVE_SOURCES}
    store.update_run(run_id, status="completed",
                     source_stats={n: s.as_json() for n, s in stats.items()})
    return time.perf_counter() - start, stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=2000, help="PubMed records on the server")
    args = ap.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # one line per request otherwise
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    with tempfile.TemporaryDirectory(prefix="ketev-incr-") as tmp:
        watchlist = Path(tmp) / "watchlist.toml"
        watchlist.write_text("")
        os.environ.update(KETEV_ALLOW_PRIVATE_URLS="1", KETEV_WATCHLIST=str(watchlist))
        web.DEFAULT_DELAY = 0.0   # one loopback host: politeness delay would only measure sleep
        FakeEutils({p: date(2024, 3, 12) for p in pmids(args.records)}).install(server)
        FakeEuropePMC([[europepmc_result(i) for i in range(500)]]).install(server)
        FakeCtgov([[ctgov_study(i) for i in range(200)]]).install(server)
        page = serve_clinic_page(server)
        settings = Settings(workdir=Path(tmp), eutils_url=f"http://127.0.0.1:{server.port}/eutils",
                            europepmc_url=server.url_for("/europepmc"),
                            ctgov_url=server.url_for("/ctgov"), ncbi_api_key="benchmark")
        store = EvidenceStore.open(Path(tmp))
        print(f"{'run':<8}{'seconds':>9}" + "".join(f"{n + ' req':>15}" for n in LIVE_SOURCES)
              + f"{'new':>7}{'unchanged':>11}")
        for label in ("first", "second"):
            seconds, stats = one_run(store, settings, page)
            new = sum(s.counts.new for s in stats.values())
            same = sum(s.counts.unchanged for s in stats.values())
            print(f"{label:<8}{seconds:>9.2f}" + "".join(f"{stats[n].requests:>15}" for n in LIVE_SOURCES)
                  + f"{new:>7}{same:>11}")
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
