"""Resilience checks: HA across zones, failover, backups, RPO/RTO, restore drills, DR.

Besides the checks, this module holds what the resilience charts share with them: storage
account roles, the cron interval of a Kubernetes CronJob and ``rpo_estimates`` (the RPO each
data store achieves). Attestation lookups, collection gaps and id helpers are in
``readiness_kit.frames``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.evidence import Evidence
from readiness_kit.frames import (
    arm_details,
    attestation_frame,
    attested_outcome,
    days_since,
    dig,
    fmt,
    gaps_for,
    is_system_namespace,
    k8s,
    lower_id,
    parent_resource_id,
    pod_specs,
    resources,
    text,
    truthy,
)
from readiness_kit.params import Parameters

PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
AKS = "microsoft.containerservice/managedclusters"
REDIS_TYPES = ("microsoft.cache/redis", "microsoft.cache/redisenterprise")
STORAGE = "microsoft.storage/storageaccounts"
RSV = "microsoft.recoveryservices/vaults"
RSV_PROTECTED_ITEM = "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/" \
                     "protecteditems"
BACKUP_INSTANCE = "microsoft.dataprotection/backupvaults/backupinstances"

#: Point-in-time restore of a Flexible Server replays WAL archived continuously; Microsoft
#: states an RPO under 5 minutes for restore from backup (concepts-business-continuity).
PG_PITR_RPO_MINUTES = 5.0
#: Azure Backup / APRL guidance: keep at least two weeks of PostgreSQL backups.
PG_MIN_BACKUP_RETENTION_DAYS = 14
#: No parameter target exists for runbook reviews; a yearly review is the usual minimum
#: (ISO 22301 "planned intervals", Azure Well-Architected RE:09 "test and update regularly").
DR_RUNBOOK_MAX_AGE_DAYS = 365
#: A protected item whose last backup is older than this is not healthy, whatever its flag.
BACKUP_MAX_AGE_DAYS = 2
ZONE_KEYS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
ZONE_REDUNDANT_SKUS = ("ZRS", "GZRS", "RAGZRS")

REL_PG = "https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server"
APRL = "https://azure.github.io/Azure-Proactive-Resiliency-Library-v2/azure-resources/"
WAF_DR = "https://learn.microsoft.com/azure/well-architected/reliability/disaster-recovery"


# --------------------------------------------------------------------------- shared helpers
def storage_role(sa: pd.DataFrame) -> pd.Series:
    """``filestore`` | ``backup`` | ``other`` for storage accounts.

    A ``role``/``purpose``/``usage``/``workload`` tag wins; otherwise the account name
    decides (``backup``/``bkp`` before ``filestore``/``files``).
    """
    tag_text = sa["tags_obj"].map(
        lambda t: " ".join(str(v) for k, v in (t or {}).items()
                           if k.lower() in {"role", "purpose", "usage", "workload"}).lower())
    name = sa["name"].fillna("").astype(str).str.lower()

    def classify(text: pd.Series) -> pd.Series:
        role = pd.Series("", index=text.index, dtype=object)
        role = role.mask(text.str.contains(r"file", regex=True), "filestore")
        return role.mask(text.str.contains(r"backup|bkp", regex=True), "backup")

    by_tag, by_name = classify(tag_text), classify(name)
    return by_tag.where(by_tag != "", by_name).replace("", "other")


def storage_accounts(ev: Evidence, role: str) -> pd.DataFrame | None:
    sa = resources(ev, STORAGE)
    if sa is None:
        return None
    return sa[storage_role(sa) == role].reset_index(drop=True)


def blob_service(ev: Evidence, sa: pd.DataFrame) -> pd.DataFrame:
    """The storage accounts with their blobServices properties (``blob`` NaN if not read)."""
    blob = arm_details(ev, "blobServices")
    out = sa.assign(key=lower_id(sa["id"]))
    if blob is None or blob.empty:
        return out.assign(blob=None)
    blob = blob.assign(key=parent_resource_id(blob["resource_id"]))
    blob = blob.drop_duplicates("key")[["key", "props"]].rename(columns={"props": "blob"})
    return out.merge(blob, on="key", how="left")


def sku_name(df: pd.DataFrame) -> pd.Series:
    """``Standard_ZRS``; ``Premium P1`` where the SKU has a family and capacity (Redis keeps
    its SKU in ``properties.sku``)."""
    sku = df["sku_obj"].where(df["sku_obj"].map(bool), dig(df["props"], "sku", {}))
    name = dig(sku, "name", "").astype(str)
    size = dig(sku, "family", "").astype(str) + dig(sku, "capacity", "").astype(str)
    return name.where(size.eq(""), name + " " + size)


def on_off(flag: pd.Series) -> pd.Series:
    return flag.map({True: "on", False: "off"})


def pg_primaries(ev: Evidence) -> pd.DataFrame | None:
    """Flexible servers that are not replicas (replicas follow their primary)."""
    pg = resources(ev, PG_FLEX)
    if pg is None:
        return None
    role = dig(pg["props"], "replica.role", None).fillna(dig(pg["props"], "replicationRole", ""))
    is_replica = role.astype(str).str.lower().str.contains("replica")
    return pg[~is_replica].reset_index(drop=True)


# ------------------------------------------------------------------------ cron schedules
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
    about = (jobs["name"].fillna("") + " " + jobs["labels"].fillna("")).str.lower()
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


# ------------------------------------------------------------------------------- checks
@check(
    id="RES-PG-001",
    domain="resilience",
    severity="critical",
    title="PostgreSQL Flexible Server runs zone-redundant high availability",
    rationale="Odoo keeps every order, stock move and invoice in PostgreSQL. Without a "
    "zone-redundant standby, a zone failure takes the database down until Azure restores it.",
    remediation="Enable high availability in ZoneRedundant mode (General Purpose or Memory "
    "Optimized tier) and place the standby in a different zone from the primary.",
    risk="PostgreSQL has no zone-redundant HA: a zone outage stops order capture",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server",
        "https://azure.github.io/Azure-Proactive-Resiliency-Library-v2/azure-resources/"
        "DBforPostgreSQL/flexibleServers/",
    ],
)
def pg_zone_redundant_ha(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    mode = dig(pg["props"], "highAvailability.mode", "Disabled")
    return outcome(pg["id"], mode.eq("ZoneRedundant"), "HA mode is " + mode.astype(str))


@check(
    id="RES-PG-002",
    domain="resilience",
    severity="high",
    title="PostgreSQL can be recovered in another region (geo-redundant backup or replica)",
    rationale="Zone-redundant HA does not survive a regional outage. Geo-redundant backup "
    "copies backups to the paired region for geo-restore; a read replica in another region "
    "can be promoted. Azure Well-Architected (RE:09) and APRL ask for one of the two.",
    remediation="Enable geoRedundantBackup when creating the server (it cannot be changed "
    "later: restore into a new server with it on) or create a read replica in the paired "
    "region, and document the promotion in the DR runbook.",
    risk="A regional Azure outage would leave the shop without its order database",
    applies_to="PostgreSQL flexible servers (primaries)",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
        "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-read-replicas",
        APRL + "DBforPostgreSQL/flexibleServers/",
    ],
)
def pg_cross_region_recovery(ctx: CheckContext):
    pg = pg_primaries(ctx.ev)
    everything = resources(ctx.ev, PG_FLEX)
    source = lower_id(dig(everything["props"], "sourceServerResourceId", "").astype(str))
    replicas = pd.DataFrame({"key": source, "replica_location": everything["location"],
                             "replica": everything["name"]})
    pg = pg.assign(key=lower_id(pg["id"]))
    remote = pg.merge(replicas, on="key")
    remote = remote[remote["replica_location"] != remote["location"]]
    remote_names = remote.groupby("key")["replica"].agg(", ".join)
    # Usually no server has a remote replica: the map is empty, so build text with text().
    replica = pg["key"].map(remote_names)
    has_replica = replica.notna()
    geo = text(dig(pg["props"], "backup.geoRedundantBackup", "Disabled"))
    passed = geo.eq("Enabled") | has_replica
    detail = ("geo-redundant backup " + geo + "; "
              + ("read replica in another region: " + text(replica)).where(
                  has_replica, "no read replica outside " + text(pg["location"], "its region")))
    return outcome(pg["id"], passed, detail)


@check(
    id="RES-PG-003",
    domain="resilience",
    severity="medium",
    title=f"PostgreSQL keeps at least {PG_MIN_BACKUP_RETENTION_DAYS} days of backups",
    rationale="Data corruption (a faulty module upgrade, a bad import) is often noticed days "
    "later. The 7-day default leaves little room to restore to a point before it happened.",
    remediation="Set backup.backupRetentionDays to 14-35 on the server (az postgres flexible-"
    "server update --backup-retention 35).",
    risk="Corruption found after a week could no longer be undone from backup",
    applies_to="PostgreSQL flexible servers (primaries)",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
    ],
)
def pg_backup_retention(ctx: CheckContext):
    pg = pg_primaries(ctx.ev)
    raw = dig(pg["props"], "backup.backupRetentionDays", None)
    days = pd.to_numeric(raw, errors="coerce").fillna(7)
    detail = ("backup retention is " + days.astype(int).astype(str) + " days (minimum "
              + str(PG_MIN_BACKUP_RETENTION_DAYS) + ")")
    detail = detail.where(raw.notna(), detail + "; not reported, Azure's default 7 days assumed")
    return outcome(pg["id"], days >= PG_MIN_BACKUP_RETENTION_DAYS, detail)


def _zones_text(zones: pd.Series) -> pd.Series:
    return zones.map(lambda z: ", ".join(str(x) for x in z) if z else "none").astype(str)


@check(
    id="RES-REDIS-001",
    domain="resilience",
    severity="medium",
    title="Redis cache spans the target number of availability zones",
    rationale="Odoo sessions and the cache live in Redis. A zone-redundant cache (Premium or "
    "Enterprise with zones) keeps its replicas in different zones so a zone failure "
    "fails over instead of logging every shopper out.",
    remediation="Use the Premium (or Enterprise) tier with replicas spread over zones 1, 2 "
    "and 3 (zones on the cache resource).",
    risk="A zone outage could drop every session and cart held in Redis",
    applies_to="Azure Cache for Redis instances",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-high-availability",
        APRL + "Cache/Redis/",
    ],
)
def redis_zones(ctx: CheckContext):
    redis = resources(ctx.ev, *REDIS_TYPES)
    need = ctx.params.targets.min_availability_zones
    count = redis["zones_list"].map(len)
    detail = ("zones " + _zones_text(redis["zones_list"]) + " (" + count.astype(str) + " of "
              + str(need) + " required); SKU " + sku_name(redis))
    return outcome(redis["id"], count >= need, detail)


@check(
    id="RES-AKS-001",
    domain="resilience",
    severity="high",
    title="AKS node pools span the target number of availability zones",
    rationale="A node pool pinned to fewer zones loses all of its capacity when one of them "
    "fails; AKS best practice and APRL ask for pools spread over zones 1, 2 and 3.",
    remediation="Create node pools with availabilityZones [1, 2, 3] (zones cannot be added to "
    "an existing pool: create a new pool, cordon and drain the old one).",
    risk="A zone outage could remove the nodes that run the shop",
    applies_to="AKS node pools",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/availability-zones",
        APRL + "ContainerService/managedClusters/",
    ],
)
def aks_pool_zones(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    need = ctx.params.targets.min_availability_zones
    pools = aks.assign(pool=dig(aks["props"], "agentPoolProfiles", [])).explode("pool")
    pools = pools[pools["pool"].notna()].reset_index(drop=True)
    name = dig(pools["pool"], "name", "?").astype(str)
    zones = dig(pools["pool"], "availabilityZones", [])
    count = zones.map(len)
    mode = dig(pools["pool"], "mode", "User").astype(str)
    detail = (mode + " pool " + name + " spans zones " + _zones_text(zones) + " ("
              + count.astype(str) + " of " + str(need) + " required)")
    return outcome(pools["id"] + "/agentPools/" + name, count >= need, detail)


@check(
    id="RES-AKS-002",
    domain="resilience",
    severity="high",
    title="AKS cluster is protected by Azure Backup and its last backup is healthy",
    rationale="Persistent volumes and cluster state (ConfigMaps, Secrets references, CRDs) "
    "must be restorable after a bad upgrade or deletion. Azure Backup for AKS is the "
    "supported mechanism; a protected item with failing backups protects nothing.",
    remediation="Install the backup extension and configure a backup instance in a Backup "
    "vault (or protected item in a Recovery Services vault); alert on failed backup jobs.",
    risk="Cluster workloads and volumes could not be restored after a failed upgrade",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-backup-overview",
        "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup",
    ],
)
def aks_backup_healthy(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    items = resources(ctx.ev, RSV_PROTECTED_ITEM, BACKUP_INSTANCE)
    props = items["props"]
    source = dig(props, "sourceResourceId", None).fillna(
        dig(props, "dataSourceInfo.resourceID", ""))
    state = dig(props, "lastBackupStatus", None).fillna(
        dig(props, "protectionStatus.status", None)).fillna(
        dig(props, "currentProtectionState", "unknown")).astype(str)
    age = days_since(dig(props, "lastBackupTime", None), ctx.as_of)
    stopped = dig(props, "protectionState", "").astype(str).str.contains("Stopped")
    state = state.where(~stopped, state + " (protection stopped)")
    healthy = state.isin(["Healthy", "ProtectionConfigured"]) & ~(age > BACKUP_MAX_AGE_DAYS)
    item_name = dig(props, "friendlyName", None).fillna(items["name"]).astype(str)
    item_text = ("backup item " + item_name + " status " + state
                 + (", last backup " + age.map(fmt).astype(str) + " days ago").where(
                     age.notna(), ""))
    found = pd.DataFrame({"key": lower_id(source.astype(str)), "healthy": healthy,
                          "text": item_text})
    best = found.sort_values("healthy", ascending=False).drop_duplicates("key")
    merged = aks.assign(key=lower_id(aks["id"])).merge(best, on="key", how="left")
    gap = gaps_for(ctx.ev, "recoveryservicesresources", merged["id"])
    none_text = "no Azure Backup protected item or backup instance for this cluster"
    detail = merged["text"].fillna(none_text)
    assessed = merged["text"].notna() | gap.isna()
    detail = detail.where(assessed, "backup items not collected (" + gap.astype(str) + ")")
    return outcome(merged["id"], merged["healthy"].fillna(False), detail, assessed)


def replicated_workloads(ev: Evidence) -> pd.DataFrame | None:
    """Deployments / StatefulSets outside system namespaces running >= 2 replicas.

    Replicas are the HPA's minReplicas when an HPA targets the workload, else spec.replicas.
    Adds ``pod_labels`` and ``replicas``.
    """
    wl = k8s(ev, "Deployment", "StatefulSet")
    if wl is None:
        return None
    wl = wl[~is_system_namespace(wl["namespace"])].copy()
    wl["cluster"] = wl["cluster"].fillna("")
    spec_replicas = pd.to_numeric(dig(wl["spec_obj"], "replicas", 1), errors="coerce")
    hpa = k8s(ev, "HorizontalPodAutoscaler")
    hpa_min = pd.DataFrame({"cluster": hpa["cluster"].fillna(""), "namespace": hpa["namespace"],
                            "kind": dig(hpa["spec_obj"], "scaleTargetRef.kind", ""),
                            "name": dig(hpa["spec_obj"], "scaleTargetRef.name", ""),
                            "hpa_min": pd.to_numeric(dig(hpa["spec_obj"], "minReplicas", 1),
                                                     errors="coerce")})
    wl = wl.assign(spec_replicas=spec_replicas.fillna(1)).merge(
        hpa_min.drop_duplicates(["cluster", "namespace", "kind", "name"]),
        on=["cluster", "namespace", "kind", "name"], how="left")
    wl["replicas"] = wl["hpa_min"].fillna(wl["spec_replicas"]).astype(int)
    wl["pod_labels"] = dig(wl["spec_obj"], "template.metadata.labels", {})
    return wl[wl["replicas"] >= 2].reset_index(drop=True)


@check(
    id="RES-K8S-001",
    domain="resilience",
    severity="medium",
    title="Replicated workloads have a PodDisruptionBudget that allows drains",
    rationale="Node upgrades, node-image patching and the cluster autoscaler drain nodes. "
    "Without a PodDisruptionBudget every replica of a service can be evicted at once; a "
    "budget that allows no disruption blocks upgrades instead (AKS best practices).",
    remediation="Add a policy/v1 PodDisruptionBudget selecting the pods with minAvailable "
    "below the replica count (or maxUnavailable >= 1).",
    risk="Routine node maintenance could take the storefront or ingress fully offline",
    applies_to="Deployments / StatefulSets with two or more replicas",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/operator-best-practices-scheduler",
        "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/",
    ],
)
def workload_pdb(ctx: CheckContext):
    wl = replicated_workloads(ctx.ev)
    pdb = k8s(ctx.ev, "PodDisruptionBudget")
    budgets = pd.DataFrame({
        "cluster": pdb["cluster"].fillna(""), "namespace": pdb["namespace"],
        "pdb": pdb["name"], "selector": dig(pdb["spec_obj"], "selector.matchLabels", {}),
        "min_available": dig(pdb["spec_obj"], "minAvailable", None),
        "max_unavailable": dig(pdb["spec_obj"], "maxUnavailable", None)})
    pairs = wl[["subject", "cluster", "namespace", "replicas", "pod_labels"]].merge(
        budgets, on=["cluster", "namespace"])
    selects = [bool(sel) and sel.items() <= labels.items()
               for sel, labels in zip(pairs["selector"], pairs["pod_labels"], strict=True)]
    pairs = pairs[pd.Series(selects, index=pairs.index, dtype=bool)].copy()
    min_av = pd.to_numeric(pairs["min_available"], errors="coerce")
    max_un = pd.to_numeric(pairs["max_unavailable"], errors="coerce")
    allowed = (pairs["replicas"] - min_av).fillna(max_un)  # percentages stay NaN: allowed
    pairs["ok"] = ~(allowed <= 0)
    budget = ("minAvailable " + pairs["min_available"].astype(str)).where(
        pairs["min_available"].notna(), "maxUnavailable " + pairs["max_unavailable"].astype(str))
    pairs["text"] = ("PodDisruptionBudget " + pairs["namespace"] + "/" + pairs["pdb"] + " ("
                     + budget + ") covers " + pairs["replicas"].astype(str) + " replicas")
    pairs["text"] = pairs["text"].where(pairs["ok"], pairs["text"]
                                        + " but allows no disruption: it blocks node drains")
    best = pairs.sort_values("ok", ascending=False).drop_duplicates("subject")
    merged = wl.merge(best[["subject", "ok", "text"]], on="subject", how="left")
    detail = merged["text"].fillna(merged["replicas"].astype(str) + " replicas and no "
                                   "PodDisruptionBudget selects its pods: a drain can evict "
                                   "them all at once")
    return outcome(merged["subject"], merged["ok"].fillna(False), detail)


def _zone_spread(pod: dict) -> str | None:
    """How a pod spec spreads its pods across zones, or None."""
    pod = pod or {}
    for c in pod.get("topologySpreadConstraints") or []:
        if c.get("topologyKey") in ZONE_KEYS:
            return (f"topologySpreadConstraints on {c['topologyKey']} (maxSkew "
                    f"{c.get('maxSkew', 1)}, {c.get('whenUnsatisfiable', 'DoNotSchedule')})")
    anti = (pod.get("affinity") or {}).get("podAntiAffinity") or {}
    terms = [*anti.get("requiredDuringSchedulingIgnoredDuringExecution", []),
             *[t.get("podAffinityTerm", {})
               for t in anti.get("preferredDuringSchedulingIgnoredDuringExecution", [])]]
    if any(t.get("topologyKey") in ZONE_KEYS for t in terms):
        return "pod anti-affinity across zones"
    return None


@check(
    id="RES-K8S-002",
    domain="resilience",
    severity="medium",
    title="Replicated workloads spread their pods across availability zones",
    rationale="Zone-spread node pools only help if the scheduler also spreads the replicas: "
    "without topologySpreadConstraints (or zone anti-affinity) on topology.kubernetes.io/zone "
    "all replicas may land in one zone.",
    remediation="Add topologySpreadConstraints with topologyKey topology.kubernetes.io/zone "
    "and maxSkew 1 to the pod template.",
    risk="All copies of a service could sit in one zone and fail together",
    applies_to="Deployments / StatefulSets with two or more replicas",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/availability-zones",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/"
        "topology-spread-constraints/",
    ],
)
def workload_zone_spread(ctx: CheckContext):
    wl = replicated_workloads(ctx.ev)
    spread = pod_specs(wl).map(_zone_spread)
    detail = ("spreads " + wl["replicas"].astype(str) + " replicas with "
              + spread.astype(str)).where(
        spread.notna(), "no zone topologySpreadConstraints or anti-affinity: the scheduler "
        "may place all " + wl["replicas"].astype(str) + " replicas in one zone")
    return outcome(wl["subject"], spread.notna(), detail)


@check(
    id="RES-STG-001",
    domain="resilience",
    severity="high",
    title="The Odoo filestore storage account is zone-redundant (ZRS or GZRS)",
    rationale="The filestore holds attachments, product images and invoices PDFs that the "
    "database points to. LRS keeps all copies in one datacenter; ZRS/GZRS survive a zone "
    "failure (APRL, Well-Architected for Storage).",
    remediation="Convert the account to Standard_ZRS or Standard_GZRS (customer-initiated "
    "conversion from the portal or az storage account migration start).",
    risk="A zone outage could make product images and invoice attachments unavailable",
    applies_to="storage accounts holding the Odoo filestore (tag role=filestore or a name "
    "with 'file')",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/storage/common/storage-redundancy",
        APRL + "Storage/storageAccounts/",
    ],
)
def filestore_zone_redundant(ctx: CheckContext):
    sa = storage_accounts(ctx.ev, "filestore")
    sku = sku_name(sa)
    redundancy = sku.str.split("_").str[-1].str.upper()
    detail = ("SKU " + sku).where(sku.ne(""), "SKU not reported")
    return outcome(sa["id"], redundancy.isin(ZONE_REDUNDANT_SKUS), detail)


def _blob_protection(ctx: CheckContext, role: str, need_versioning: bool) -> pd.DataFrame:
    blob = blob_service(ctx.ev, storage_accounts(ctx.ev, role))
    read = blob["blob"].notna()
    soft = truthy(dig(blob["blob"], "deleteRetentionPolicy.enabled", False))
    days = dig(blob["blob"], "deleteRetentionPolicy.days", "?").astype(str)
    versioning = truthy(dig(blob["blob"], "isVersioningEnabled", False))
    detail = ("blob soft delete " + on_off(soft)
              + (" (" + days + " days)").where(soft, " (not set: Azure leaves it off)"))
    passed = soft
    if need_versioning:
        detail = detail + ", versioning " + on_off(versioning)
        passed = soft & versioning
    gap = gaps_for(ctx.ev, "blobServices", blob["id"]).fillna(
        "no blobServices read for this account")
    detail = detail.where(read, "blob service properties not collected (" + gap + ")")
    return outcome(blob["id"], passed, detail, read)


@check(
    id="RES-STG-002",
    domain="resilience",
    severity="high",
    title="The Odoo filestore has blob soft delete and versioning on",
    rationale="Odoo overwrites and garbage-collects filestore blobs. Soft delete recovers "
    "deleted blobs and versioning recovers overwritten ones; together they give a near-zero "
    "RPO for the filestore (Azure Storage data protection guidance).",
    remediation="Enable blob soft delete (>= 7 days), container soft delete and blob "
    "versioning on the filestore account (blobServices/default).",
    risk="A faulty module or script could destroy attachments with no way back",
    applies_to="storage accounts holding the Odoo filestore",
    requires=["azure_resources", "azure_arm_details"],
    references=[
        "https://learn.microsoft.com/azure/storage/blobs/data-protection-overview",
        "https://learn.microsoft.com/azure/storage/blobs/versioning-overview",
    ],
)
def filestore_soft_delete_versioning(ctx: CheckContext):
    return _blob_protection(ctx, "filestore", need_versioning=True)


@check(
    id="RES-STG-003",
    domain="resilience",
    severity="high",
    title="The backup storage account is not locally redundant (LRS)",
    rationale="Backups kept with LRS share the fate of the datacenter they protect against. "
    "Backup copies belong on GRS/GZRS (or at least ZRS) storage.",
    remediation="Convert the backup account to Standard_GRS / Standard_GZRS (RA- variants "
    "allow reads from the secondary region).",
    risk="One datacenter incident could destroy the data and its backup together",
    applies_to="backup storage accounts (tag role=backup or a name with 'backup')",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/storage/common/storage-redundancy",
        WAF_DR,
    ],
)
def backup_storage_not_lrs(ctx: CheckContext):
    sa = storage_accounts(ctx.ev, "backup")
    sku = sku_name(sa)
    lrs = sku.str.upper().str.endswith("_LRS")
    detail = ("SKU " + sku).where(~lrs, "SKU " + sku + ": every copy sits in one datacenter")
    return outcome(sa["id"], ~lrs & sku.ne(""), detail.where(sku.ne(""), "SKU not reported"))


@check(
    id="RES-STG-004",
    domain="resilience",
    severity="medium",
    title="The backup storage account has blob soft delete on",
    rationale="Backups are the last line of defence against deletion (by mistake or by an "
    "attacker); soft delete keeps deleted backup blobs recoverable for its retention.",
    remediation="Enable blob and container soft delete (>= 14 days) on the backup account; "
    "consider an immutability policy on the backup container.",
    risk="Deleting the backup container would delete the backups for good",
    applies_to="backup storage accounts",
    requires=["azure_resources", "azure_arm_details"],
    references=["https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview"],
)
def backup_storage_soft_delete(ctx: CheckContext):
    return _blob_protection(ctx, "backup", need_versioning=False)


@check(
    id="RES-RSV-001",
    domain="resilience",
    severity="high",
    title="Recovery Services vault stores backups geo-redundantly",
    rationale="A vault on LRS or ZRS storage loses its backups with the region. GRS (with "
    "Cross Region Restore) keeps restorable copies in the paired region (APRL).",
    remediation="Set the vault's storage redundancy to GeoRedundant before protecting items "
    "and enable Cross Region Restore.",
    risk="A regional outage would take the backups down with production",
    applies_to="Recovery Services vaults",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/backup/backup-create-recovery-services-vault",
        APRL + "RecoveryServices/vaults/",
    ],
)
def vault_geo_redundant(ctx: CheckContext):
    vault = resources(ctx.ev, RSV)
    raw = dig(vault["props"], "redundancySettings.standardTierStorageRedundancy", None)
    redundancy = raw.fillna("GeoRedundant").astype(str)
    crr = dig(vault["props"], "redundancySettings.crossRegionRestore", "Disabled").astype(str)
    detail = "storage redundancy " + redundancy + ", cross region restore " + crr
    detail = detail.where(raw.notna(), "storage redundancy not reported: Azure's default "
                          "GeoRedundant assumed")
    return outcome(vault["id"], redundancy.eq("GeoRedundant"), detail)


@check(
    id="RES-RSV-002",
    domain="resilience",
    severity="high",
    title="Recovery Services vault has soft delete on",
    rationale="Soft delete keeps deleted backup data for 14+ days, which defeats the "
    "ransomware step of deleting backups before encrypting production (Azure Backup "
    "security guidance).",
    remediation="Set securitySettings.softDeleteSettings.softDeleteState to AlwaysON (or "
    "Enabled) with a retention of at least 14 days.",
    risk="An attacker or a mistake could delete every backup at once",
    applies_to="Recovery Services vaults",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud"],
)
def vault_soft_delete(ctx: CheckContext):
    vault = resources(ctx.ev, RSV)
    raw = dig(vault["props"], "securitySettings.softDeleteSettings.softDeleteState", None)
    state = raw.fillna("Enabled").astype(str)
    days = dig(vault["props"], "securitySettings.softDeleteSettings."
                               "softDeleteRetentionPeriodInDays", 14).astype(str)
    detail = ("soft delete " + state + " (" + days + " days)").where(
        raw.notna(), "soft delete not reported: Azure's default (Enabled, 14 days) assumed")
    return outcome(vault["id"], state.str.lower().isin(["enabled", "alwayson"]), detail)


@check(
    id="RES-RSV-003",
    domain="resilience",
    severity="medium",
    title="Recovery Services vault is immutable",
    rationale="An immutable vault refuses operations that would lose recovery points "
    "(reducing retention, stopping protection with delete); locking it makes this "
    "irreversible (Azure Backup immutable vault).",
    remediation="Enable immutability on the vault (state Unlocked), verify, then lock it.",
    risk="Backups could be shortened or deleted by anyone with vault rights",
    applies_to="Recovery Services vaults",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept"],
)
def vault_immutable(ctx: CheckContext):
    vault = resources(ctx.ev, RSV)
    raw = dig(vault["props"], "securitySettings.immutabilitySettings.state", None)
    state = raw.fillna("Disabled").astype(str)
    detail = ("immutability " + state).where(raw.notna(),
                                             "immutability not set (Azure's default: Disabled)")
    return outcome(vault["id"], state.isin(["Unlocked", "Locked", "Enabled"]), detail)


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


def _attestation_check(ctx: CheckContext, key: str,
                       judge: Callable[[pd.DataFrame], tuple[pd.Series, pd.Series]]):
    df = attestation_frame(ctx.ev, key)
    passed, detail = judge(df)
    return attested_outcome(df, passed, detail)


@check(
    id="RES-RTO-001",
    domain="resilience",
    severity="high",
    title="The last restore drill met the recovery time objective",
    rationale="Only a measured restore shows how long recovery really takes; the achieved "
    "time must be within the RTO the business agreed (Well-Architected RE:09).",
    remediation="Automate the restore (infrastructure as code, scripted PITR and filestore "
    "restore), remove manual steps found in the drill, and repeat it until it meets the RTO.",
    risk="In a real incident the shop would stay closed longer than the business accepted",
    applies_to="restore drill attestations",
    requires=["attestations"],
    references=[WAF_DR, "https://learn.microsoft.com/azure/well-architected/reliability/"
                        "testing-strategy"],
    basis="attested",
)
def rto_achieved(ctx: CheckContext):
    target = float(ctx.params.targets.rto_minutes)

    def judge(df):
        minutes = pd.to_numeric(df["value"], errors="coerce")
        detail = ("last restore drill took " + df["value"] + f" min against the RTO target of "
                   f"{target:g} min (" + df["by"] + ")")
        detail = detail.where(minutes.notna(), "achieved RTO '" + df["value"]
                              + "' is not a number of minutes (" + df["by"] + ")")
        return minutes <= target, detail

    return _attestation_check(ctx, "restore_drill.achieved_rto_minutes", judge)


@check(
    id="RES-DRL-001",
    domain="resilience",
    severity="high",
    title="A restore drill ran within the allowed age",
    rationale="Backups that are never restored are hopes, not backups. A recent, successful "
    "restore drill proves the procedure, the permissions and the time it takes.",
    remediation="Run a full restore drill (PostgreSQL PITR into an isolated environment plus "
    "the filestore) at least every restore_drill_max_age_days and record the date.",
    risk="Nobody knows whether the shop can actually be restored",
    applies_to="restore drill attestations",
    requires=["attestations"],
    references=[WAF_DR,
                "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "how-to-restore-server-portal"],
    basis="attested",
)
def restore_drill_recent(ctx: CheckContext):
    limit = ctx.params.targets.restore_drill_max_age_days

    def judge(df):
        age = days_since(df["value"], ctx.as_of)
        detail = ("last restore drill on " + df["value"] + ", "
                  + age.map(fmt).astype(str) + f" days before the review (max {limit}; "
                  + df["by"] + ")")
        detail = detail.where(age.notna(), "restore drill date '" + df["value"]
                              + "' is not a date (" + df["by"] + ")")
        return age <= limit, detail

    return _attestation_check(ctx, "restore_drill.last_date", judge)


@check(
    id="RES-DR-001",
    domain="resilience",
    severity="medium",
    title="The DR runbook has a named owner",
    rationale="A runbook without an owner is not kept current and nobody is accountable for "
    "invoking it during an incident.",
    remediation="Name an accountable owner (a role, not only a person) for the DR runbook "
    "and record it.",
    risk="In a disaster nobody would be accountable for running the recovery",
    applies_to="DR runbook attestations",
    requires=["attestations"],
    references=[WAF_DR],
    basis="attested",
)
def dr_runbook_owner(ctx: CheckContext):
    def judge(df):
        return ~df["negative"], "DR runbook owner: " + df["value"].replace(
            "", "none") + " (" + df["by"] + ")"

    return _attestation_check(ctx, "dr_runbook.owner", judge)


@check(
    id="RES-DR-002",
    domain="resilience",
    severity="low",
    title=f"The DR runbook was reviewed within {DR_RUNBOOK_MAX_AGE_DAYS} days",
    rationale="Platforms change faster than runbooks: a runbook not reviewed in a year "
    "describes a platform that no longer exists.",
    remediation="Review the DR runbook after every significant change and at least yearly; "
    "record the date.",
    risk="The recovery steps could be out of date when they are needed",
    applies_to="DR runbook attestations",
    requires=["attestations"],
    references=[WAF_DR],
    basis="attested",
)
def dr_runbook_reviewed(ctx: CheckContext):
    def judge(df):
        age = days_since(df["value"], ctx.as_of)
        detail = ("DR runbook last reviewed on " + df["value"] + ", "
                  + age.map(fmt).astype(str) + f" days ago (max {DR_RUNBOOK_MAX_AGE_DAYS};"
                  " " + df["by"] + ")")
        detail = detail.where(age.notna(), "review date '" + df["value"]
                              + "' is not a date (" + df["by"] + ")")
        return age <= DR_RUNBOOK_MAX_AGE_DAYS, detail

    return _attestation_check(ctx, "dr_runbook.last_reviewed", judge)
