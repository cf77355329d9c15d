"""Effective settings, read from the environment once per run.

Endpoints come from the environment so that tests can point every client at
a local server (DESIGN.md: KETEV_EUTILS_URL, KETEV_EUROPEPMC_URL, KETEV_CTGOV_URL).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_EUROPEPMC = "https://www.ebi.ac.uk/europepmc/webservices/rest"
DEFAULT_CTGOV = "https://clinicaltrials.gov/api/v2"


@dataclass
class Settings:
    workdir: Path = Path("workspace")
    database_url: str | None = None          # None: SQLite in the workdir
    eutils_url: str = DEFAULT_EUTILS
    europepmc_url: str = DEFAULT_EUROPEPMC
    ctgov_url: str = DEFAULT_CTGOV
    ncbi_api_key: str | None = None
    contact_email: str | None = None
    tool_name: str = "ketamine-evidence"
    timeout: float = 30.0                    # seconds per HTTP request
    extract_batch_size: int = 250            # documents per extraction task
    conditions: list[str] = field(default_factory=lambda: ["trd", "ptsd", "ocd", "chronic_pain"])

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        s = cls(
            workdir=Path(env.get("KETEV_WORKDIR", "workspace")),
            database_url=env.get("KETEV_DATABASE_URL") or None,
            eutils_url=env.get("KETEV_EUTILS_URL", DEFAULT_EUTILS).rstrip("/"),
            europepmc_url=env.get("KETEV_EUROPEPMC_URL", DEFAULT_EUROPEPMC).rstrip("/"),
            ctgov_url=env.get("KETEV_CTGOV_URL", DEFAULT_CTGOV).rstrip("/"),
            ncbi_api_key=env.get("NCBI_API_KEY") or None,
            contact_email=env.get("KETEV_CONTACT_EMAIL") or None,
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(s, key, value)
        return s

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.contact_email}" if self.contact_email else ""
        return f"ketamine-evidence/0.1 (+https://github.com/ketamine-evidence{contact})"
