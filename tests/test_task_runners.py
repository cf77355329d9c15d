"""Extraction batches on threads and on Dask store the same records."""
from __future__ import annotations

import json

import pytest
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.pipeline import pipeline, plan_extraction, task_runner
from flows.settings import Settings
from flows.stages import open_store

pytestmark = pytest.mark.e2e


def run_with(runner, inputs, workdir, monkeypatch, store_snapshot) -> dict:
    monkeypatch.setenv("KETEV_EXTRACT_BATCH_SIZE", "4")        # 45 documents: 12 batches
    pipeline.with_options(task_runner=runner)(paths=[str(inputs)], live=False, workdir=str(workdir))
    return store_snapshot(open_store(str(workdir)))


def test_dask_and_threads_store_the_same_records(prefect_harness, abstracts_folder, tmp_path,
                                                 monkeypatch, store_snapshot):
    threads = run_with(ThreadPoolTaskRunner(max_workers=2), abstracts_folder, tmp_path / "threads",
                       monkeypatch, store_snapshot)
    # In-process workers: the same scheduler and Prefect task code, without
    # seconds of worker start-up; tcp on loopback, as pytest-socket allows.
    local = DaskTaskRunner(cluster_kwargs={"n_workers": 1, "threads_per_worker": 2, "processes": False,
                                           "protocol": "tcp", "host": "127.0.0.1",
                                           "dashboard_address": None})
    dask = run_with(local, abstracts_folder, tmp_path / "dask", monkeypatch, store_snapshot)
    assert len(threads["documents"]) == 45 and threads["claims"] and threads["outcomes"]
    assert all(json.loads(row)[-1] for row in threads["documents"])      # all extracted
    assert dask == threads


def test_extraction_batches_are_disjoint_and_cover_every_pending_document():
    pending = [3, 4, 9, 10, 11, 20, 21]
    starts = plan_extraction(pending, 3)
    assert starts == [0, 9, 20]
    batches = [[pk for pk in pending if pk > start][:3] for start in starts]
    assert sum(batches, []) == pending
    assert plan_extraction([], 3) == []


def test_the_settings_choose_the_task_runner():
    threads = task_runner(Settings(task_runner="threads", workers=3))
    assert isinstance(threads, ThreadPoolTaskRunner) and threads._max_workers == 3
    remote = task_runner(Settings(task_runner="dask", dask_address="tcp://127.0.0.1:8786"))
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://127.0.0.1:8786"
    local = task_runner(Settings(task_runner="dask", workers=2))
    assert local.address is None and local.cluster_kwargs["n_workers"] == 2
