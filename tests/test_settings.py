"""Settings: defaults, the TOML file, the environment, code; secrets masked."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.settings import DEFAULT_EUTILS, Settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No KETEV_* variable or config file from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("KETEV_") or name == "NCBI_API_KEY":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def write_config(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_defaults():
    s = Settings.from_env()
    assert s.workdir == Path("workspace") and s.database_url is None
    assert s.eutils_url == DEFAULT_EUTILS and s.ncbi_api_key is None
    assert s.conditions == ["trd", "ptsd", "ocd", "chronic_pain"]
    assert (s.task_runner, s.workers, s.lock_wait) == ("threads", 2, 600.0)


def test_environment_variables_keep_their_documented_names(monkeypatch):
    monkeypatch.setenv("KETEV_EUTILS_URL", "http://127.0.0.1:9/eutils/")
    monkeypatch.setenv("NCBI_API_KEY", "key-123")
    monkeypatch.setenv("KETEV_CONTACT_EMAIL", "")                    # empty means unset
    monkeypatch.setenv("KETEV_CONDITIONS", "trd, ptsd")
    monkeypatch.setenv("KETEV_WORKDIR", "/srv/evidence")
    monkeypatch.setenv("KETEV_TASK_RUNNER", "dask")
    monkeypatch.setenv("KETEV_LOCK_WAIT", "30")
    s = Settings.from_env()
    assert s.eutils_url == "http://127.0.0.1:9/eutils" and s.ncbi_api_key == "key-123"
    assert s.contact_email is None and s.conditions == ["trd", "ptsd"]
    assert s.workdir == Path("/srv/evidence") and s.task_runner == "dask" and s.lock_wait == 30


def test_the_toml_file_is_read_and_the_environment_and_code_win_over_it(monkeypatch, tmp_path):
    config = write_config(tmp_path / "team.toml", 'contact_email = "team@example.org"\n'
                          'workdir = "/data/ketamine"\nncbi_requests_per_second = 2\n'
                          'conditions = ["ocd"]\n')
    monkeypatch.setenv("KETEV_CONFIG", str(config))
    monkeypatch.setenv("KETEV_WORKDIR", "/from/env")
    s = Settings.from_env(conditions=None, lock_wait=5)
    assert s.contact_email == "team@example.org" and s.ncbi_requests_per_second == 2
    assert s.conditions == ["ocd"] and s.workdir == Path("/from/env") and s.lock_wait == 5


def test_a_config_file_in_the_current_folder_is_found(tmp_path):
    write_config(tmp_path / "ketamine-evidence.toml", "extract_batch_size = 50\n")
    assert Settings.from_env().extract_batch_size == 50


@pytest.mark.parametrize("text, field", [("extract_batchsize = 50\n", "extract_batchsize"),
                                         ('conditions = ["migraine"]\n', "conditions"),
                                         ('task_runner = "celery"\n', "task_runner")])
def test_mistakes_in_the_file_are_errors_that_name_the_setting(tmp_path, monkeypatch, text, field):
    monkeypatch.setenv("KETEV_CONFIG", str(write_config(tmp_path / "bad.toml", text)))
    with pytest.raises(ValidationError, match=field):
        Settings.from_env()


def test_masked_hides_the_key_and_the_database_password(monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "key-123")
    monkeypatch.setenv("KETEV_DATABASE_URL", "postgresql+psycopg://ketev:s3cret@db.example.org/evidence")
    shown = Settings.from_env().masked()
    assert shown["ncbi_api_key"] == "********"
    assert shown["database_url"] == "postgresql+psycopg://ketev:***@db.example.org/evidence"
    assert "key-123" not in str(shown) and "s3cret" not in str(shown)


def test_the_ncbi_key_can_come_from_a_prefect_secret_block(prefect_harness, monkeypatch):
    from prefect.blocks.system import Secret
    Secret(value="from-the-block").save("ketev-test-ncbi-key", overwrite=True)
    monkeypatch.setenv("KETEV_NCBI_API_KEY_BLOCK", "ketev-test-ncbi-key")
    assert Settings.from_env().with_secrets().ncbi_api_key == "from-the-block"
    monkeypatch.setenv("NCBI_API_KEY", "direct")                     # a key given directly wins
    assert Settings.from_env().with_secrets().ncbi_api_key == "direct"
