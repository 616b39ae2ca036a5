"""Change since last review: a run's findings against the tenant's previous complete run.

A finding is identified by ``check_id`` + ``subject``; it is *open* when its status is not
``pass``. Between an older and a newer run every finding that is open in either falls in
exactly one group:

* **new**: open now, not open before (``reason``: ``regressed`` when it passed before,
  ``new subject`` when the older run did not have it);
* **resolved**: open before, not open now (``reason``: ``passes`` or ``subject gone``);
* **changed**: open in both, with another status (e.g. ``fail`` → ``waived``);
* **unchanged**: open in both with the same status.

``changes.json`` beside the run's findings carries the counts, the full new / resolved /
changed lists and a bounded list of examples per group (what the report and the index
show).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from readiness_kit import SEVERITIES
from readiness_kit.errors import EvidenceError
from readiness_kit.review import _run_findings

GROUPS: tuple[str, ...] = ("new", "resolved", "changed", "unchanged")
#: What each group's example list holds at most (changes.json, report, index).
EXAMPLES = 20
CHANGE_COLUMNS = ["check_id", "subject", "domain", "severity", "title", "status_before",
                  "status_now", "reason"]
_RUN_ID = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?$")


def run_key(run_id: str) -> tuple[str, int] | None:
    """Sort key of a run id (``20250101T120000Z`` or ``...Z-2``), None when it is not one."""
    match = _RUN_ID.match(run_id)
    return (match.group(1), int(match.group(2) or 1)) if match else None


def is_complete(run_dir: Path) -> bool:
    """A run is complete when it has its summary and its findings."""
    return (run_dir / "summary.json").is_file() and (
        (run_dir / "findings.parquet").is_file() or (run_dir / "findings.json").is_file())


def previous_run(tenant_dir: Path, before_run_id: str) -> Path | None:
    """The tenant's newest complete run older than ``before_run_id`` (the ``latest`` link,
    hidden entries and incomplete folders are ignored)."""
    limit = run_key(before_run_id)
    if limit is None or not Path(tenant_dir).is_dir():
        return None
    best: tuple[tuple[str, int], Path] | None = None
    for entry in Path(tenant_dir).iterdir():
        key = run_key(entry.name)
        if key is None or entry.is_symlink() or not entry.is_dir() or key >= limit:
            continue
        if is_complete(entry) and (best is None or key > best[0]):
            best = (key, entry)
    return best[1] if best else None


def resolve_run(path: str | Path) -> Path:
    """A run folder from a run folder, a ``latest`` link or a tenant folder (its
    ``latest``); raises ``EvidenceError`` naming the path when it is not a complete run."""
    given = Path(path)
    candidate = given / "latest" if (given / "latest").exists() else given
    if not candidate.is_dir():
        raise EvidenceError("not a run folder (expected a folder with summary.json and "
                            "findings.parquet or findings.json)", path=given)
    run_dir = candidate.resolve()
    if not is_complete(run_dir):
        raise EvidenceError("not a complete run (expected summary.json and findings.parquet "
                            "or findings.json)", path=given)
    return run_dir


def _identity(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per (check_id, subject), the most pressing status kept when repeated."""
    rank = {s: i for i, s in enumerate(("fail", "error", "waived", "not_assessed", "pass"))}
    df = findings[["check_id", "subject", "domain", "severity", "title", "status"]].copy()
    df["subject"] = df["subject"].map(lambda s: "" if s is None or s != s else str(s))
    df["_rank"] = df["status"].map(rank).fillna(9)
    df = df.sort_values("_rank", kind="stable").drop_duplicates(["check_id", "subject"])
    return df.drop(columns="_rank")


def _read(run_dir: Path) -> pd.DataFrame:
    try:
        return _run_findings(run_dir)
    except (OSError, ValueError) as exc:
        raise EvidenceError(f"not a readable run: {exc}", path=run_dir) from None


@dataclass
class Changes:
    """Open findings of two runs compared; each frame has ``CHANGE_COLUMNS``."""

    new: pd.DataFrame
    resolved: pd.DataFrame
    changed: pd.DataFrame
    unchanged: pd.DataFrame

    def counts(self) -> dict[str, int]:
        return {g: len(getattr(self, g)) for g in GROUPS}


def _ordered(df: pd.DataFrame) -> pd.DataFrame:
    sev = {s: i for i, s in enumerate(SEVERITIES)}
    return (df.assign(_s=df["severity"].map(sev).fillna(len(sev)))
            .sort_values(["_s", "check_id", "subject"], kind="stable")
            .drop(columns="_s").reset_index(drop=True)[CHANGE_COLUMNS])


def compare_findings(old: pd.DataFrame, new: pd.DataFrame) -> Changes:
    """Compare two findings tables (``FINDING_COLUMNS``)."""
    before, now = _identity(old), _identity(new)
    both = before.merge(now, on=["check_id", "subject"], how="outer",
                        suffixes=("_before", "_now"), indicator=True)
    for col in ("domain", "severity", "title"):
        both[col] = both[f"{col}_now"].where(both[f"{col}_now"].notna(), both[f"{col}_before"])
    open_before = both["status_before"].notna() & (both["status_before"] != "pass")
    open_now = both["status_now"].notna() & (both["status_now"] != "pass")
    both["reason"] = None
    is_new = open_now & ~open_before
    both.loc[is_new, "reason"] = both.loc[is_new, "status_before"].map(
        lambda s: "regressed" if s == "pass" else "new subject")
    is_resolved = open_before & ~open_now
    both.loc[is_resolved, "reason"] = both.loc[is_resolved, "status_now"].map(
        lambda s: "passes" if s == "pass" else "subject gone")
    still = open_before & open_now
    is_changed = still & (both["status_before"] != both["status_now"])
    both.loc[is_changed, "reason"] = (both.loc[is_changed, "status_before"].astype(str) + " → "
                                      + both.loc[is_changed, "status_now"].astype(str))
    both = both.astype(object).where(both.notna(), None)
    return Changes(new=_ordered(both[is_new]), resolved=_ordered(both[is_resolved]),
                   changed=_ordered(both[is_changed]),
                   unchanged=_ordered(both[still & ~is_changed]))


def compare_runs(old: Path, new: Path) -> Changes:
    """The findings of run ``new`` against those of run ``old`` (run folders)."""
    return compare_findings(_read(Path(old)), _read(Path(new)))


def _summary(run_dir: Path) -> dict:
    path = Path(run_dir) / "summary.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvidenceError(f"not a readable run summary: {exc}", path=path) from None
    if not isinstance(summary, dict):
        raise EvidenceError("not a run summary (expected a JSON object)", path=path)
    return summary


def _records(df: pd.DataFrame, limit: int | None = None) -> list[dict]:
    return (df if limit is None else df.head(limit)).to_dict(orient="records")


def changes_record(old: Path | None, new: Path, *, examples: int = EXAMPLES,
                   changes: Changes | None = None) -> dict:
    """What changes.json holds for run ``new`` against ``old`` (None: first review);
    ``changes`` when already worked out by :func:`compare_runs`."""
    now = _summary(new)
    record: dict = {"run_id": now.get("run_id") or Path(new).name, "gate": now.get("gate")}
    if old is None:
        return {**record, "first_review": True, "previous_run_id": None, "previous_gate": None,
                "counts": {g: 0 for g in GROUPS}, "examples": {g: [] for g in GROUPS},
                "domains": {}, **{g: [] for g in GROUPS if g != "unchanged"}}
    before = _summary(old)
    ch = changes if changes is not None else compare_runs(old, new)
    scores_before, scores_now = before.get("domains") or {}, now.get("domains") or {}
    return {
        **record, "first_review": False,
        "previous_run_id": before.get("run_id") or Path(old).name,
        "previous_gate": before.get("gate"),
        "counts": ch.counts(),
        "domains": {d: {"before": scores_before.get(d), "now": scores_now.get(d)}
                    for d in dict.fromkeys([*scores_now, *scores_before])},
        "examples": {g: _records(getattr(ch, g), examples) for g in GROUPS},
        # full lists (unchanged ones are every open finding again: counted, not listed)
        "new": _records(ch.new), "resolved": _records(ch.resolved),
        "changed": _records(ch.changed),
    }


def write_changes(run_dir: Path, previous: Path | None) -> dict:
    """Write ``run_dir/changes.json`` (against ``previous``, None for a first review) and
    return the record. A previous run that cannot be read does not fail this run: the
    record says so (``previous_error``) and compares with nothing."""
    try:
        record = changes_record(previous, Path(run_dir))
    except EvidenceError as exc:
        if previous is None or str(Path(run_dir)) in (exc.path or ""):
            raise
        record = {**changes_record(None, Path(run_dir)), "first_review": False,
                  "previous_run_id": Path(previous).name, "previous_error": exc.render()}
    (Path(run_dir) / "changes.json").write_text(
        json.dumps(record, indent=1, default=str) + "\n", encoding="utf-8")
    return record


def read_changes(run_dir: Path) -> dict | None:
    """A run's changes.json, None when the run has none (written before changes existed)."""
    path = Path(run_dir) / "changes.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise EvidenceError(f"not valid JSON: {exc}", path=path) from None
