"""Effective settings: one object, read from the environment and an optional TOML file.

Precedence, highest first: values passed in code (CLI options, flow
parameters), environment variables (`KETEV_<FIELD>`, plus `NCBI_API_KEY`),
the TOML file (`KETEV_CONFIG`, else `./ketamine-evidence.toml` when it
exists), then the defaults below. Endpoints come from the environment so that
tests can point every client at a local server (DESIGN.md).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings import TomlConfigSettingsSource

DEFAULT_EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_EUROPEPMC = "https://www.ebi.ac.uk/europepmc/webservices/rest"
DEFAULT_CTGOV = "https://clinicaltrials.gov/api/v2"
DEFAULT_CONDITIONS = ["trd", "ptsd", "ocd", "chronic_pain"]
LIVE_SOURCES = ("pubmed", "europepmc", "ctgov", "web")   # flows/sources/live.py collects them
CONFIG_FILE = "ketamine-evidence.toml"
SECRET_FIELDS = ("ncbi_api_key",)


def config_file() -> Path | None:
    """The TOML file in force: KETEV_CONFIG, else ./ketamine-evidence.toml if present."""
    named = os.environ.get("KETEV_CONFIG")
    if named:
        return Path(named)
    return Path(CONFIG_FILE) if Path(CONFIG_FILE).is_file() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KETEV_", extra="forbid",
                                      validate_by_name=True, validate_by_alias=True)

    # Where things live
    workdir: Path = Path("workspace")
    database_url: str | None = None          # None: WORKDIR/evidence.sqlite
    # Services
    eutils_url: str = DEFAULT_EUTILS
    europepmc_url: str = DEFAULT_EUROPEPMC
    ctgov_url: str = DEFAULT_CTGOV
    ncbi_api_key: str | None = Field(
        None, validation_alias=AliasChoices("ncbi_api_key", "NCBI_API_KEY", "KETEV_NCBI_API_KEY"))
    ncbi_api_key_block: str | None = None    # name of a Prefect Secret block holding the key
    contact_email: str | None = None
    tool_name: str = "ketamine-evidence"
    timeout: float = 30.0                    # seconds per HTTP request
    http_backoff: float = 1.0                # retry backoff factor (seconds)
    allow_private_urls: bool = False         # let web pages resolve to private addresses (tests)
    watchlist: Path | None = None            # web pages to follow; None: data/watchlist.toml
    # Politeness and page size caps of the services
    ncbi_requests_per_second: int = 3
    ncbi_requests_per_second_with_key: int = 10
    pubmed_batch: int = 500                  # PMIDs per efetch
    europepmc_page_size: int = 1000
    ctgov_page_size: int = 1000
    # The run
    conditions: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(DEFAULT_CONDITIONS))
    extract_batch_size: int = 250            # documents per extraction task
    task_runner: Literal["threads", "dask"] = "threads"
    workers: int = 2                         # threads, or local Dask workers
    dask_address: str | None = None          # tcp://host:8786; None: a local cluster
    lock_wait: float = 600.0                 # seconds to wait for another run on the store

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings, env_settings,
                                   dotenv_settings, file_secret_settings
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = config_file()
        files = (TomlConfigSettingsSource(settings_cls, toml_file=toml),) if toml else ()
        return (init_settings, env_settings, *files)

    @classmethod
    def from_env(cls, **overrides: Any) -> "Settings":
        """Settings from the environment and TOML file; overrides that are None are ignored."""
        return cls(**{k: v for k, v in overrides.items() if v is not None})

    @field_validator("eutils_url", "europepmc_url", "ctgov_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @field_validator("conditions", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [c.strip() for c in value.split(",") if c.strip()]
        return value

    @field_validator("conditions")
    @classmethod
    def _known_conditions(cls, value: list[str]) -> list[str]:
        from data.records import CONDITIONS
        unknown = [c for c in value if c not in CONDITIONS]
        if unknown:
            raise ValueError(f"unknown condition(s) {', '.join(unknown)}; choose from {', '.join(CONDITIONS)}")
        return value

    @field_validator("database_url", "ncbi_api_key", "ncbi_api_key_block", "contact_email",
                     "dask_address", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return value or None

    def with_secrets(self) -> "Settings":
        """A copy with the NCBI key read from its Prefect Secret block (needs the Prefect API)."""
        if self.ncbi_api_key or not self.ncbi_api_key_block:
            return self
        from prefect.blocks.system import Secret
        return self.model_copy(update={"ncbi_api_key": Secret.load(self.ncbi_api_key_block).get()})

    def masked(self) -> dict[str, Any]:
        """The settings as plain values, secrets and database passwords hidden."""
        values = self.model_dump(mode="json")
        for name in SECRET_FIELDS:
            if values[name]:
                values[name] = "********"
        if values["database_url"]:
            from sqlalchemy.engine import make_url
            values["database_url"] = make_url(values["database_url"]).render_as_string(hide_password=True)
        return values

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.contact_email}" if self.contact_email else ""
        return f"ketamine-evidence/0.1 (+https://github.com/ketamine-evidence{contact})"
