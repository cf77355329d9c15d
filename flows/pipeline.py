"""The pipeline flow: collect -> store -> extract -> judge -> report.

Only orchestration lives here; each task wraps one batch-sized call from
`flows/stages.py` so that orchestration stays a small share of the run.
One run at a time writes to a store (its writer lock); a run that died is
finished by the next one, since every stage only does what is still owed.
Extraction batches run in parallel on the flow's task runner: a bounded
thread pool, or a Dask cluster (`task_runner`).
"""
from __future__ import annotations

import math
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.states import Failed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from data.store import EvidenceStore, StoreBusy
from flows import stages
from flows.settings import DEFAULT_CONDITIONS, Settings
from flows.sources import SourceStats
from flows.sources.live import LIVE_SOURCES
from reports.artifacts import publish_run_artifacts
from reports.builder import build_reports

# The scheduled deployment; prefect.yaml and the README say the same (tests/test_deployment.py).
DEPLOYMENT = "weekly"
WEEKLY_CRON = "0 6 * * 1"          # Mondays 06:00
WEEKLY_TIMEZONE = "UTC"
MAX_EXTRACT_TASKS = 32             # extraction task runs per flow run, at most
WEEKLY_PARAMETERS = {"conditions": list(DEFAULT_CONDITIONS), "sources": list(LIVE_SOURCES),
                     "full_text": False, "workdir": "workspace"}


def task_runner(settings: Settings) -> TaskRunner:
    """Threads unless Dask is asked for: the given scheduler, else a local cluster
    of worker processes (extraction is CPU-bound Python)."""
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner
        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        # On loopback: a local cluster has no business listening on the network.
        return DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1,
                                              "host": "127.0.0.1"})
    return ThreadPoolTaskRunner(max_workers=settings.workers)   # Prefect's default is unbounded


@task(cache_policy=NO_CACHE, retries=0)
def import_files(workdir: str, db_url: str | None, files: list[str], run_id: int) -> SourceStats:
    return stages.import_file_batch(stages.open_store(workdir, db_url), files, run_id)


@task(cache_policy=NO_CACHE)
def collect_live(name: str, settings: Settings, run_id: int, urls: list[str], pmids: list[str],
                 full_text: bool) -> SourceStats:
    store = stages.open_store(str(settings.workdir), settings.database_url)
    return stages.collect_live_source(store, settings, name, run_id, urls, pmids, full_text)


@task(cache_policy=NO_CACHE)
def extract_batch(workdir: str, db_url: str | None, batch_size: int, after_pk: int,
                  run_id: int, processes: int = 1) -> tuple[int, int]:
    done, _, fails = stages.extract_pending_batch(
        stages.open_store(workdir, db_url), batch_size, after_pk, run_id, processes)
    return done, len(fails)


@task(cache_policy=NO_CACHE)
def judge_claims(workdir: str, db_url: str | None, run_id: int) -> int:
    return stages.judge_all_claims(stages.open_store(workdir, db_url), run_id)


@task(cache_policy=NO_CACHE)
def write_reports(workdir: str, db_url: str | None, run_id: int) -> str:
    store = stages.open_store(workdir, db_url)
    return str(build_reports(store, Path(workdir) / "reports", run_id))


class progress:
    """How far a long stage is, batch by batch: a Prefect progress artifact on the
    flow run and, for a person at a terminal, a progress bar."""

    def __init__(self, key: str, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.artifact = create_progress_artifact(0.0, key=f"ketamine-evidence-{key}", description=label)
        self.bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress
            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar_task = self.bar.add_task(label, total=total)

    def __enter__(self) -> "progress":
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()

    def advance(self) -> None:
        self.done += 1
        update_progress_artifact(self.artifact, 100.0 * self.done / self.total,
                                 description=f"{self.label}: {self.done} of {self.total}")
        if self.bar:
            self.bar.advance(self.bar_task)


@contextmanager
def timed(durations: dict[str, float], stage: str):
    started = time.monotonic()
    try:
        yield
    finally:
        durations[stage] = round(time.monotonic() - started, 3)


def _collect_files(paths: list[str], wd: str, db: str | None, run_id: int) -> SourceStats:
    logger = get_run_logger()
    files = SourceStats("files")
    batches = stages.plan_file_batches(paths)
    with progress("import", "importing files", len(batches)) as bar:
        for batch in batches:
            part = import_files(wd, db, batch, run_id)
            files.counts.add(part.counts)
            files.failures += part.failures
            logger.info("imported %d files: %s", len(batch), part.counts)
            bar.advance()
    for f in files.failures:
        logger.warning("could not import %s: %s", f.item, f.reason)
    return files


def _collect_live(settings: Settings, sources: list[str], run_id: int, urls: list[str],
                  pmids: list[str], full_text: bool) -> dict[str, dict]:
    """Each live source in turn (they may share documents, so not in parallel)."""
    logger = get_run_logger()
    stats = {}
    with progress("collect", "collecting from live sources", len(sources)) as bar:
        for name in sources:
            started = time.monotonic()
            result = collect_live(name, settings, run_id, urls, pmids, full_text)
            stats[name] = _with_seconds(result, started)
            logger.info("collected from %s: %s", name, result.counts)
            if not result.ok:
                logger.warning("could not collect from %s: %s", name,
                               "; ".join(f.reason for f in result.failures[:3]))
            bar.advance()
    return stats


def _with_seconds(stats: SourceStats, started: float) -> dict:
    return {**stats.as_json(), "seconds": round(time.monotonic() - started, 3)}


def plan_extraction(pending: list[int], batch_size: int) -> list[int]:
    """The `after_pk` that starts each batch. Batch k takes the first `batch_size`
    pending documents after its start; the batches before it only touch smaller
    keys, so the batches are disjoint however the runner orders them."""
    return [pending[i - 1] if i else 0 for i in range(0, len(pending), batch_size)]


def _extract_pending(store: EvidenceStore, wd: str, db: str | None, settings: Settings,
                     run_id: int) -> int:
    logger = get_run_logger()
    pending = store.pending_extraction_pks()
    # Bigger batches for big runs: each task run costs orchestration.
    batch_size = max(settings.extract_batch_size, math.ceil(len(pending) / MAX_EXTRACT_TASKS))
    # Threads share one process pool; Dask workers are processes already.
    processes = settings.workers if settings.task_runner == "threads" else 1
    starts = plan_extraction(pending, batch_size)
    futures = [extract_batch.submit(wd, db, batch_size, after, run_id, processes) for after in starts]
    total = failed = 0
    with progress("extract", f"extracting {len(pending)} documents", len(futures)) as bar:
        for future in as_completed(futures):
            done, fails = future.result()
            total, failed = total + done, failed + fails
            logger.info("extracted %d documents (%d of %d so far; %d failed)",
                        done, total, len(pending), failed)
            bar.advance()
    return total


def _selected_sources(live: bool, sources: list[str] | None) -> list[str]:
    chosen = list(LIVE_SOURCES if sources is None else sources) if live else []
    unknown = sorted(set(chosen) - set(LIVE_SOURCES))
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(LIVE_SOURCES)}")
    return chosen


def _run(store: EvidenceStore, settings: Settings, paths: list[str], sources: list[str], urls: list[str],
         pmids: list[str], full_text: bool) -> tuple[str, int]:
    wd, db = str(settings.workdir), settings.database_url
    run_id = store.start_run({"paths": paths, "sources": sources, "workdir": wd,
                              "conditions": settings.conditions, "urls": urls, "pmids": pmids,
                              "full_text": full_text, "task_runner": settings.task_runner},
                             flow_run_id=flow_run.id)
    durations: dict[str, float] = {}
    try:
        with timed(durations, "total"):
            stats: dict[str, dict] = {}
            with timed(durations, "collect"):
                if paths:
                    started = time.monotonic()
                    stats["files"] = _with_seconds(_collect_files(paths, wd, db, run_id), started)
                stats.update(_collect_live(settings, sources, run_id, urls, pmids, full_text))
            store.update_run(run_id, source_stats=stats)
            with timed(durations, "extract"):
                _extract_pending(store, wd, db, settings, run_id)
                stages.release_pool()
            with timed(durations, "judge"):
                get_run_logger().info("judged %d claims", judge_claims(wd, db, run_id))
            with timed(durations, "report"):
                report_dir = write_reports(wd, db, run_id)
    except BaseException:
        store.update_run(run_id, status="failed", durations=durations)
        raise
    store.update_run(run_id, status="completed", report_path=str(Path(report_dir).resolve()),
                     durations=durations)
    return report_dir, run_id


@flow(name="ketamine-evidence", task_runner=task_runner(Settings.from_env()), log_prints=False)
def pipeline(paths: list[str] | None = None, live: bool = True, sources: list[str] | None = None,
             workdir: str | None = None, conditions: list[str] | None = None,
             urls: list[str] | None = None, pmids: list[str] | None = None,
             full_text: bool = False, wait: float | None = None) -> str:
    """Collect, extract, judge and report; returns the report folder.

    `sources` are the live sources to collect (default: all); `live=False` skips
    them all. Web pages also fetch `urls`, PubMed also the records `pmids`
    names. `workdir`, `conditions` and `wait` default to the settings. While
    another run writes to the same store this one waits up to `wait` seconds,
    then fails with StoreBusy."""
    settings = Settings.from_env(workdir=workdir, conditions=conditions, lock_wait=wait).with_secrets()
    chosen = _selected_sources(live, sources)
    store = stages.open_store(str(settings.workdir), settings.database_url)
    logger = get_run_logger()
    try:
        with store.writer_lock(settings.lock_wait, on_wait=logger.warning) as interrupted:
            if interrupted:
                logger.warning("run(s) %s stopped before finishing; this run completes their work",
                               ", ".join(map(str, interrupted)))
            report_dir, run_id = _run(store, settings, list(paths or []), chosen, list(urls or []),
                                      list(pmids or []), full_text)
    except StoreBusy as busy:
        # A run that never got the store fails with one clear line, not a traceback.
        return Failed(message=str(busy), data=busy)
    publish_run_artifacts(store, run_id, report_dir)
    return report_dir


def weekly_deployment(cron: str = WEEKLY_CRON):
    """The deployment `ketamine-evidence serve` serves: the one prefect.yaml defines.
    Its runs take their task runner from the settings of the serving process."""
    from prefect.schedules import Cron
    return pipeline.to_deployment(
        name=DEPLOYMENT, schedule=Cron(cron, timezone=WEEKLY_TIMEZONE), parameters=WEEKLY_PARAMETERS,
        description="Weekly collection, extraction, claim checking and report.")
