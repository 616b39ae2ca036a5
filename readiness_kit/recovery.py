"""Recovery figures from evidence: the RPO and RTO each data store achieves against
``targets.rpo_minutes`` / ``targets.rto_minutes``, for a restore in place (corruption,
accidental deletion) and for recovery in another region (a regional disruption).

``recovery_figures(ev, params, as_of)`` returns one row per store and scope with the columns
``store, kind, subject, scope, rpo_minutes, rpo_basis, rpo_status, rto_minutes, rto_basis,
rto_status, rpo_target, rto_target``; a status is ``within``, ``tight`` (within target but
resting on a stale drill), ``breach`` or ``unknown``. Figures are never assumed: a value the
evidence does not give is NaN with the reason in its basis.

RPO, restore in place (``scope = local``)
    As ``RES-RPO-001`` works it out (``checks.resilience.rpo.rpo_estimates``): PostgreSQL
    point-in-time restore replays the continuously archived WAL (about 5 min); the Odoo
    filestore is bounded by blob versioning (0) or its sync CronJob's interval.
RPO, another region (``scope = regional``)
    PostgreSQL: a read replica in another region (asynchronous, about 5 min), else
    geo-redundant backup (Azure states geo-restore RPO under 1 hour: 60 min), else no copy
    outside the region (``breach``). Filestore: a geo-redundant SKU (GRS, GZRS, RA-*;
    Azure's geo-replication is typically within 15 min: 15 min), else ``breach``.
Platform configuration (both scopes)
    Declared in Git and applied by GitOps (Flux or Argo CD objects, or GitOps evidence
    tables): RPO 0, the repository is the copy; else unknown.
RTO
    Only a measured drill counts: ``restore_drill.achieved_rto_minutes`` (PostgreSQL, in
    place; a drill older than ``targets.restore_drill_max_age_days`` makes a within-target
    figure ``tight``), ``restore_drill.filestore_rto_minutes`` (filestore, in place),
    ``dr_drill.achieved_rto_minutes`` (every store, another region) and
    ``platform_rebuild.achieved_rto_minutes`` (platform configuration), each an attestation.
    A store with no copy in the region it must recover to cannot meet any RTO (``breach``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from readiness_kit.capacity import attestation_values
from readiness_kit.evidence import Evidence
from readiness_kit.frames import dig, k8s, resources, text
from readiness_kit.params import Parameters

COLUMNS = ["store", "kind", "subject", "scope", "rpo_minutes", "rpo_basis", "rpo_status",
           "rto_minutes", "rto_basis", "rto_status", "rpo_target", "rto_target"]
#: Azure Database for PostgreSQL geo-restore from geo-redundant backup: RPO under 1 hour.
PG_GEO_RESTORE_RPO_MINUTES = 60.0
#: Asynchronous read replica in another region: RPO is its replication lag (minutes).
PG_REPLICA_RPO_MINUTES = 5.0
#: Azure Storage geo-replication: typically within 15 minutes (no SLA).
STORAGE_GEO_RPO_MINUTES = 15.0
GEO_SKUS = ("grs", "gzrs")
RTO_ATTESTATIONS = {
    ("PostgreSQL", "local"): "restore_drill.achieved_rto_minutes",
    ("Odoo filestore", "local"): "restore_drill.filestore_rto_minutes",
    ("Platform configuration", "local"): "platform_rebuild.achieved_rto_minutes",
    ("PostgreSQL", "regional"): "dr_drill.achieved_rto_minutes",
    ("Odoo filestore", "regional"): "dr_drill.achieved_rto_minutes",
    ("Platform configuration", "regional"): "dr_drill.achieved_rto_minutes",
}


def _status(value: float, target: float) -> str:
    if value is None or np.isnan(value):
        return "unknown"
    return "within" if value <= target else "breach"


def _regional_rpo(ev: Evidence, local: pd.DataFrame) -> pd.DataFrame:
    """Regional RPO per store of ``local`` (``rpo_minutes``, ``rpo_basis``, ``no_copy``)."""
    from readiness_kit.checks.resilience._shared import cross_region_replicas, pg_primaries

    out = local[["store", "kind", "subject"]].copy()
    out["rpo_minutes"], out["rpo_basis"], out["no_copy"] = np.nan, "", False
    pg = pg_primaries(ev)
    if pg is not None and len(pg):
        replica = cross_region_replicas(ev, pg)
        geo = text(dig(pg["props"], "backup.geoRedundantBackup", "Disabled")).str.lower()
        rpo = pd.Series(np.nan, index=pg.index)
        rpo = rpo.mask(geo.eq("enabled"), PG_GEO_RESTORE_RPO_MINUTES)
        rpo = rpo.mask(replica.notna(), PG_REPLICA_RPO_MINUTES)
        basis = pd.Series(
            "no copy outside " + text(pg["location"], "its region") + ": geo-redundant backup "
            "is off and there is no cross-region read replica", index=pg.index)
        basis = basis.mask(geo.eq("enabled"), f"geo-restore from geo-redundant backup: under "
                           f"{PG_GEO_RESTORE_RPO_MINUTES:g} min (Azure)")
        basis = basis.mask(replica.notna(), "read replica " + text(replica) + " in another "
                           f"region: about {PG_REPLICA_RPO_MINUTES:g} min of replication lag")
        by_id = pd.DataFrame({"rpo": rpo.to_numpy(), "basis": basis.to_numpy(),
                              "none": rpo.isna().to_numpy()}, index=pg["id"].to_numpy())
        hit = out["subject"].isin(by_id.index) & out["kind"].eq("PostgreSQL")
        out.loc[hit, "rpo_minutes"] = out.loc[hit, "subject"].map(by_id["rpo"])
        out.loc[hit, "rpo_basis"] = out.loc[hit, "subject"].map(by_id["basis"])
        out.loc[hit, "no_copy"] = out.loc[hit, "subject"].map(by_id["none"])
    sa = resources(ev, "microsoft.storage/storageaccounts")
    if sa is not None and len(sa):
        sku = dig(sa["sku_obj"], "name", "").astype(str)
        by_id = pd.Series(sku.to_numpy(), index=sa["id"].to_numpy())
        hit = out["kind"].eq("Odoo filestore")
        names = out.loc[hit, "subject"].map(by_id).fillna("")
        geo = names.str.lower().str.contains("|".join(GEO_SKUS))
        out.loc[hit, "rpo_minutes"] = np.where(geo, STORAGE_GEO_RPO_MINUTES, np.nan)
        out.loc[hit, "rpo_basis"] = np.where(
            geo, names + f" geo-replication: typically within {STORAGE_GEO_RPO_MINUTES:g} min",
            "SKU " + names.replace("", "unknown") + " keeps no copy in another region")
        out.loc[hit, "no_copy"] = ~geo
    return out


def _platform_config(ev: Evidence) -> tuple[float, str]:
    objects = k8s(ev, "Kustomization", "GitRepository", "Application", "ApplicationSet")
    gitops = objects is not None and len(objects) > 0
    tables = [t for t in ("gitops_releases", "gitops_pipelines") if ev.has(t)
              and len(ev.tables[t])]
    if gitops or tables:
        how = "Flux/Argo CD objects in the cluster" if gitops else "GitOps evidence (" \
              + ", ".join(tables) + ")"
        return 0.0, f"declared in Git and applied by GitOps ({how}): the repository is the copy"
    return np.nan, "no evidence that the platform configuration is kept in Git"


def recovery_figures(ev: Evidence, params: Parameters, as_of: dt.date) -> pd.DataFrame:
    """RPO/RTO achieved per store and scope against the targets (rules in the module
    docstring). Empty when ``azure_resources`` was not collected."""
    from readiness_kit.checks.resilience.rpo import rpo_estimates

    rpo_target = float(params.targets.rpo_minutes)
    rto_target = float(params.targets.rto_minutes)
    est = rpo_estimates(ev, params)
    if est is None:
        return pd.DataFrame(columns=COLUMNS)
    local = est[["store", "kind", "subject", "rpo_minutes"]].assign(
        rpo_basis=est["mechanism"].where(est["assessed"], "not collected"),
        no_copy=False)
    local.loc[~est["assessed"].astype(bool), "rpo_minutes"] = np.nan
    regional = _regional_rpo(ev, est)
    cfg_rpo, cfg_basis = _platform_config(ev)
    cfg = pd.DataFrame([{"store": "Platform configuration", "kind": "Platform configuration",
                         "subject": "platform:configuration", "rpo_minutes": cfg_rpo,
                         "rpo_basis": cfg_basis, "no_copy": False}])
    frames = []
    for scope, rows in (("local", local), ("regional", regional)):
        frames.append(pd.concat([rows, cfg], ignore_index=True).assign(scope=scope))
    out = pd.concat(frames, ignore_index=True)
    out["rpo_minutes"] = out["rpo_minutes"].astype(float)
    out["rpo_status"] = [_status(v, rpo_target) for v in out["rpo_minutes"]]
    out.loc[out["no_copy"].astype(bool), "rpo_status"] = "breach"

    att = attestation_values(ev, params).sort_values("attested_at", kind="stable")
    att = att.drop_duplicates("key", keep="last").set_index("key")
    drill_date = pd.to_datetime(att["value"].get("restore_drill.last_date"), errors="coerce")
    max_age = params.targets.restore_drill_max_age_days
    rto, basis, status = [], [], []
    attested = {key: pd.to_numeric(att["value"].get(key), errors="coerce")
                for key in set(RTO_ATTESTATIONS.values())}  # once per key, not per store
    for row in out.itertuples():
        key = RTO_ATTESTATIONS[(row.kind, row.scope)]
        value = attested[key]
        if row.no_copy:
            rto.append(np.nan)
            basis.append("nothing to recover from in another region")
            status.append("breach")
            continue
        if pd.isna(value):
            rto.append(np.nan)
            basis.append(f"not measured: no drill attested ('{key}')")
            status.append("unknown")
            continue
        who = att.loc[key]
        text_ = (f"measured in a drill: {value:g} min (attested by {who['attested_by']} on "
                 f"{who['attested_at']})")
        state = _status(float(value), rto_target)
        if key == "restore_drill.achieved_rto_minutes" and not pd.isna(drill_date):
            age = (pd.Timestamp(as_of) - drill_date).days
            text_ += f"; drill of {drill_date.date()}, {age} days ago"
            if age > max_age and state == "within":
                state, text_ = "tight", text_ + f" (older than {max_age} days)"
        rto.append(float(value))
        basis.append(text_)
        status.append(state)
    out["rto_minutes"], out["rto_basis"], out["rto_status"] = rto, basis, status
    out["rpo_target"], out["rto_target"] = rpo_target, rto_target
    return out[COLUMNS]
