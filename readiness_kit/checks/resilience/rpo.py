"""Resilience checks RES-RPO-*: recovery point objective."""

from __future__ import annotations

import re

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import (
    WAF_DR,
    blob_service,
    pg_primaries,
    storage_accounts,
)
from readiness_kit.evidence import Evidence
from readiness_kit.frames import dig, json_text, k8s, truthy
from readiness_kit.params import Parameters

#: Point-in-time restore of a Flexible Server replays WAL archived continuously; Microsoft
#: states an RPO under 5 minutes for restore from backup (concepts-business-continuity).
PG_PITR_RPO_MINUTES = 5.0
_CRON_MACROS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_DOW_NAMES = {d: str(i) for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}


def _cron_field(text: str, lo: int, hi: int) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base in ("*", "?"):
            start, end = lo, hi
        elif "-" in base:
            start, end = (int(x) for x in base.split("-", 1))
        else:
            start = int(base)
            end = hi if step_text else start
        if step < 1 or start < lo or end > hi:
            raise ValueError(part)
        values.update(range(start, end + 1, step))
    return values


def cron_max_interval_minutes(schedule: object) -> float | None:
    """Longest gap in minutes between two runs of a cron schedule (None if unparseable).

    Minute/hour/day-of-week schedules are exact over a week; day-of-month schedules are
    judged over a 31-day month and month schedules over a 12-month year (approximations).
    """
    if not isinstance(schedule, str):
        return None
    spec = schedule.strip().lower()
    spec = re.sub(r"^(cron_tz|tz)=\S+\s+", "", spec)
    fields = _CRON_MACROS.get(spec, spec).split()
    if len(fields) != 5:
        return None
    minute, hour, dom, month, dow = fields
    for name, number in _DOW_NAMES.items():
        dow = dow.replace(name, number)
    try:
        day_minutes = sorted(h * 60 + m for h in _cron_field(hour, 0, 23)
                             for m in _cron_field(minute, 0, 59))
        if month != "*":
            months = sorted(_cron_field(month, 1, 12))
            gaps = [b - a for a, b in zip(months, [*months[1:], months[0] + 12], strict=True)]
            return float(max(gaps) * 30 * 1440)
        if dom != "*":
            days, period = sorted(d - 1 for d in _cron_field(dom, 1, 31)), 31
        else:
            days = sorted({d % 7 for d in _cron_field(dow, 0, 7)}) if dow != "*" else list(
                range(7))
            period = 7
    except ValueError:
        return None
    runs = [d * 1440 + m for d in days for m in day_minutes]
    if not runs:
        return None
    nxt = [*runs[1:], runs[0] + period * 1440]
    return float(max(b - a for a, b in zip(runs, nxt, strict=True)))


def filestore_sync_jobs(ev: Evidence) -> pd.DataFrame | None:
    """Active CronJobs that copy the Odoo filestore (name or labels mention ``filestore``)."""
    jobs = k8s(ev, "CronJob")
    if jobs is None:
        return None
    about = (jobs["name"].fillna("") + " " + json_text(ev, jobs, "labels").fillna("")
             ).str.lower()
    suspended = truthy(dig(jobs["spec_obj"], "suspend", False))
    jobs = jobs[about.str.contains("filestore") & ~suspended].copy()
    jobs["schedule"] = dig(jobs["spec_obj"], "schedule", "")
    jobs["interval"] = jobs["schedule"].map(cron_max_interval_minutes).astype(float)
    return jobs.sort_values("interval").reset_index(drop=True)


def _fmt(minutes: pd.Series) -> pd.Series:
    return minutes.map(lambda m: "unknown" if pd.isna(m) else f"{m:g} min").astype(str)


def rpo_estimates(ev: Evidence, params: Parameters) -> pd.DataFrame | None:
    """The RPO each data store achieves, its mechanism and the target.

    Columns: subject, store, kind, mechanism, rpo_minutes, target_minutes, assessed, detail.
    PostgreSQL: point-in-time restore (continuous WAL backup). Odoo filestore: blob
    versioning (every overwrite and delete kept) or else the interval of the filestore sync
    CronJob. Returns None when ``azure_resources`` was not collected.
    """
    target = float(params.targets.rpo_minutes)
    pg = pg_primaries(ev)
    if pg is None:
        return None
    retention = dig(pg["props"], "backup.backupRetentionDays", 7).astype(str)
    geo = dig(pg["props"], "backup.geoRedundantBackup", "Disabled").astype(str)
    pg_rows = pd.DataFrame({
        "subject": pg["id"], "store": "PostgreSQL " + pg["name"], "kind": "PostgreSQL",
        "mechanism": "PITR · " + retention + "-day retention · geo-backup " + geo,
        "rpo_minutes": PG_PITR_RPO_MINUTES, "assessed": True,
    })
    pg_rows["detail"] = (f"point-in-time restore replays continuously archived WAL: RPO about "
                         f"{PG_PITR_RPO_MINUTES:g} min (target {target:g} min); backup "
                         "retention " + retention + " days")

    fs = blob_service(ev, storage_accounts(ev, "filestore"))
    versioning = truthy(dig(fs["blob"], "isVersioningEnabled", False))
    blob_read = fs["blob"].notna()
    jobs = filestore_sync_jobs(ev)
    if jobs is not None and not jobs.empty and jobs["interval"].notna().any():
        best = jobs.dropna(subset=["interval"]).iloc[0]
        job_rpo = float(best["interval"])
        job_short = f"CronJob {best['namespace']}/{best['name']} every {job_rpo:g} min"
        job_text = (f"CronJob {best['namespace']}/{best['name']} ('{best['schedule']}') copies "
                    f"it every {job_rpo:g} min at worst")
    else:
        job_rpo = float("nan")
        job_text = job_short = ("no filestore sync CronJob" if jobs is not None
                                else "Kubernetes objects not collected")
    has_job = not pd.isna(job_rpo)
    rpo = pd.Series(job_rpo, index=fs.index, dtype=float).where(~versioning, 0.0)
    version_text = pd.Series("blob versioning off", index=fs.index, dtype=object).where(
        blob_read, "blob versioning not collected")
    mechanism = version_text.where(~versioning, "blob versioning").astype(str)
    if has_job:
        mechanism = mechanism.where(versioning, mechanism + " · " + job_short)
    detail = pd.Series(
        "blob versioning keeps every overwrite and delete: RPO about 0 min "
        f"(target {target:g} min)", index=fs.index, dtype=object)
    detail = detail.where(versioning, version_text + "; " + job_text + ": RPO "
                          + _fmt(rpo) + f" (target {target:g} min)")
    nothing = ~versioning & (not has_job)
    detail = detail.where(~nothing, version_text + " and " + job_text
                          + ": nothing bounds how much of the filestore is lost")
    # Known when versioning is on, a sync job bounds it, or both sources were read.
    assessed = versioning | has_job | (blob_read & (jobs is not None))
    fs_rows = pd.DataFrame({
        "subject": fs["id"], "store": "Filestore " + fs["name"], "kind": "Odoo filestore",
        "mechanism": mechanism.where(~nothing, "none"), "rpo_minutes": rpo,
        "assessed": assessed, "detail": detail,
    })
    out = pd.concat([pg_rows, fs_rows], ignore_index=True)
    out["target_minutes"] = target
    return out


@check(
    id="RES-RPO-001",
    domain="resilience",
    severity="high",
    title="Each data store achieves the recovery point objective",
    rationale="The RPO target is how much trading the business agreed it may lose. Each data "
    "store must have a mechanism whose worst-case loss is within it: PostgreSQL PITR "
    "(about 5 minutes), the filestore's versioning or copy interval.",
    remediation="Enable blob versioning on the filestore (near-zero RPO) or run the filestore "
    "copy at least as often as the RPO target; keep PostgreSQL PITR backups on.",
    risk="A recovery would lose more orders or documents than the business accepted",
    applies_to="data stores (PostgreSQL servers, Odoo filestore accounts)",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/"
        "concepts-business-continuity",
        "https://learn.microsoft.com/azure/storage/blobs/versioning-overview",
        WAF_DR,
    ],
)
def rpo_achieved(ctx: CheckContext):
    rpo = rpo_estimates(ctx.ev, ctx.params)
    passed = rpo["rpo_minutes"] <= rpo["target_minutes"]
    return outcome(rpo["subject"], passed, rpo["detail"], rpo["assessed"])
