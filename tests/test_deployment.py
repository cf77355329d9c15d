"""The weekly deployment: prefect.yaml, `ketamine-evidence serve` and the README agree."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from prefect.flows import load_flow_from_entrypoint

from flows.pipeline import (DEPLOYMENT, WEEKLY_CRON, WEEKLY_PARAMETERS, WEEKLY_TIMEZONE, pipeline,
                            weekly_deployment)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def declared() -> dict:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    return deployment


def test_prefect_yaml_declares_the_weekly_deployment_of_the_pipeline(declared, monkeypatch):
    monkeypatch.chdir(ROOT)                      # entrypoints are relative to the project
    flow = load_flow_from_entrypoint(declared["entrypoint"])
    assert flow.name == pipeline.name and declared["name"] == DEPLOYMENT
    (schedule,) = declared["schedules"]
    assert (schedule["cron"], schedule["timezone"]) == (WEEKLY_CRON, WEEKLY_TIMEZONE) == ("0 6 * * 1", "UTC")
    assert declared["parameters"] == WEEKLY_PARAMETERS == {
        "conditions": ["trd", "ptsd", "ocd", "chronic_pain"],
        "sources": ["pubmed", "europepmc", "ctgov", "web"], "full_text": False, "workdir": "workspace"}
    validated = flow.validate_parameters(declared["parameters"])
    assert {name: validated[name] for name in declared["parameters"]} == declared["parameters"]
    assert declared["work_pool"]["name"] == "ketamine-evidence"


def test_serve_builds_the_same_deployment(declared, monkeypatch):
    monkeypatch.chdir(ROOT)                      # serve records the entrypoint relative to its folder
    deployment = weekly_deployment()
    assert deployment.name == declared["name"] and deployment.flow_name == pipeline.name
    assert deployment.entrypoint == declared["entrypoint"]
    assert deployment.parameters == declared["parameters"]
    (schedule,) = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == (WEEKLY_CRON, WEEKLY_TIMEZONE)
    assert weekly_deployment("0 7 * * *").schedules[0].schedule.cron == "0 7 * * *"


def test_the_readme_walks_through_the_same_deployment():
    readme = (ROOT / "README.md").read_text()
    for step in ("prefect server start", "ketamine-evidence serve",
                 f"prefect deployment run 'ketamine-evidence/{DEPLOYMENT}'",
                 "prefect work-pool create ketamine-evidence --type process",
                 "prefect deploy --name weekly", "prefect worker start --pool ketamine-evidence",
                 f'--cron "{WEEKLY_CRON}"'):
        assert step in readme, step


def test_the_deployment_registers_with_its_schedule(prefect_harness):
    from prefect import get_client
    deployment_id = weekly_deployment().apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
    assert stored.name == DEPLOYMENT and stored.parameters == WEEKLY_PARAMETERS
    (schedule,) = stored.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == (WEEKLY_CRON, WEEKLY_TIMEZONE)
    assert schedule.active
