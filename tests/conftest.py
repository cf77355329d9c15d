"""Shared fixtures: the shared corpus folder and one Prefect test harness per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _corpus_dir() -> Path | None:
    configured = os.environ.get("KETEV_CORPUS_DIR")
    path = Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus beside the checkout (or KETEV_CORPUS_DIR); skips when absent."""
    path = _corpus_dir()
    if path is None:
        pytest.skip("shared corpus not found beside the checkout (set KETEV_CORPUS_DIR)")
    return path


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session: starting one costs seconds."""
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=120):
        yield
