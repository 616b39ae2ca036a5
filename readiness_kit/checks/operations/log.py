"""Operations checks OPS-LOG-*: logging."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.operations._shared import AMON
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, resources, setting_values

WORKSPACE = "microsoft.operationalinsights/workspaces"
#: Security investigations and audits look back at least 90 days (CIS Azure 5.1.x, Azure
#: security benchmark LT-6); no parameter target exists for log retention.
LOG_RETENTION_MIN_DAYS = 90
ODOO_GOOD_LOG_LEVELS = ("info", "warn")
ODOO_FILE_OFF = ("", "false", "none", "0")


@check(
    id="OPS-LOG-001",
    domain="operations",
    severity="medium",
    title=f"Log Analytics keeps logs for at least {LOG_RETENTION_MIN_DAYS} days",
    rationale="Incidents, fraud and security investigations look back weeks; the 30-day "
    "default loses the evidence. CIS and the Microsoft cloud security benchmark (LT-6) ask "
    "for at least 90 days.",
    remediation="Set the workspace retentionInDays to 90 or more (or archive tables) "
    "(az monitor log-analytics workspace update --retention-time 90).",
    risk="Logs needed to investigate an incident would already be deleted",
    applies_to="Log Analytics workspaces",
    requires=["azure_resources"],
    references=[AMON + "logs/data-retention-configure",
                "https://learn.microsoft.com/security/benchmark/azure/"
                "mcsb-logging-threat-detection"],
)
def log_retention(ctx: CheckContext):
    ws = resources(ctx.ev, WORKSPACE)
    raw = dig(ws["props"], "retentionInDays", None)
    days = pd.to_numeric(raw, errors="coerce").fillna(30)
    detail = ("retention is " + days.astype(int).astype(str) + f" days (minimum "
              f"{LOG_RETENTION_MIN_DAYS})")
    detail = detail.where(raw.notna(), detail + "; not reported, Azure's default 30 assumed")
    return outcome(ws["id"], days >= LOG_RETENTION_MIN_DAYS, detail)


@check(
    id="OPS-LOG-002",
    domain="operations",
    severity="low",
    title="Odoo logs at info/warn level to stdout",
    rationale="In containers Odoo should log to stdout (no logfile) so Container Insights "
    "collects it; debug levels flood the workspace and may log personal data, error-only "
    "levels hide what led to an incident (Odoo deployment docs).",
    remediation="Set log_level = info (or warn) and leave logfile unset in odoo.conf.",
    risk="Odoo's logs would be missing or too noisy to diagnose an incident",
    applies_to="odoo.conf sources",
    requires=["odoo_config"],
    references=["https://www.odoo.com/documentation/17.0/developer/reference/cli.html",
                "https://www.odoo.com/documentation/17.0/administration/on_premise/"
                "deploy.html"],
)
def odoo_logging(ctx: CheckContext):
    wide = setting_values(ctx.ev, "odoo_config", "log_level", "logfile")
    level = wide["log_level"].astype(object).fillna("info").astype(str).str.strip().str.lower()
    logfile = wide["logfile"].astype(object).where(wide["logfile"].notna(), "")
    logfile = logfile.astype(str).str.strip()
    to_stdout = logfile.str.lower().isin(ODOO_FILE_OFF)
    suffix = (" (" + wide["source"] + ")") if wide["source"].nunique() > 1 else pd.Series(
        "", index=wide.index, dtype=object)
    level_detail = ("log_level " + level).where(wide["log_level"].notna(),
                                                "log_level not set (Odoo's default: info)")
    file_detail = ("logfile " + logfile + ": logs stay inside the container").where(
        ~to_stdout, "logs go to stdout")
    return pd.concat([
        outcome("odoo:log_level" + suffix, level.isin(ODOO_GOOD_LOG_LEVELS), level_detail),
        outcome("odoo:logfile" + suffix, to_stdout, file_detail),
    ], ignore_index=True)
