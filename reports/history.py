"""What changed since the last run: each report leaves a small snapshot behind.

`WORKDIR/report_history/run-NNNNNN.json` holds the sources, the collected
ketamine studies and every claim's verdict of one run; the next report
compares itself with the newest snapshot of an earlier run. Claims are
matched by source and sentence text, since their database keys change when
a page is extracted again.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

FOLDER = "report_history"   # in the workdir, beside reports/
KEEP = 30                   # snapshots kept; older ones are pruned


def claim_key(claim: dict[str, Any]) -> str:
    digest = hashlib.sha1(claim["sentence"].encode("utf-8")).hexdigest()[:16]
    return f"{claim['source_id']}#{digest}"


def snapshot(run_id: int, sources: list[dict], studies: list[dict], claims: list[dict]) -> dict:
    return {"run_id": run_id,
            "sources": sorted(s["source_id"] for s in sources),
            "studies": sorted(s["source_id"] for s in studies),
            "claims": {claim_key(c): {"verdict": c["verdict"], "source_id": c["source_id"],
                                      "sentence": c["sentence"]} for c in claims}}


def previous_snapshot(history: Path, run_id: int) -> dict | None:
    """The newest snapshot of a run before `run_id`, if any."""
    earlier = sorted((p for p in history.glob("run-*.json") if _run_of(p) < run_id), key=_run_of)
    if not earlier:
        return None
    return json.loads(earlier[-1].read_text(encoding="utf-8"))


def save_snapshot(history: Path, snap: dict) -> None:
    """Write atomically, then prune all but the newest KEEP snapshots."""
    history.mkdir(parents=True, exist_ok=True)
    target = history / f"run-{snap['run_id']:06d}.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(snap, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
    for old in sorted(history.glob("run-*.json"), key=_run_of)[:-KEEP]:
        old.unlink(missing_ok=True)


def changes(previous: dict | None, current: dict) -> dict[str, Any]:
    """New sources, new studies and claims whose verdict changed."""
    if previous is None:
        return {"previous_run": None, "new_sources": [], "new_studies": [], "changed": [],
                "new_claims": 0}
    before = previous["claims"]
    changed = [{"source_id": c["source_id"], "sentence": c["sentence"],
                "before": before[k]["verdict"], "after": c["verdict"]}
               for k, c in current["claims"].items() if k in before and before[k]["verdict"] != c["verdict"]]
    return {"previous_run": previous["run_id"],
            "new_sources": sorted(set(current["sources"]) - set(previous["sources"])),
            "new_studies": sorted(set(current["studies"]) - set(previous["studies"])),
            "changed": changed,
            "new_claims": sum(k not in before for k in current["claims"])}


def _run_of(path: Path) -> int:
    return int(path.stem.split("-")[1])
