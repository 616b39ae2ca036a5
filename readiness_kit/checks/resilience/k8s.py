"""Resilience checks RES-K8S-*: Kubernetes disruption budgets, zone spread (declared, against
the nodes' zones, and observed on running pods), backup CronJobs, the Odoo filestore volume,
probes and web replicas."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness_kit.capacity import odoo_workloads
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience.rpo import cron_max_interval_minutes
from readiness_kit.evidence import Evidence
from readiness_kit.frames import (
    container_controls,
    dig,
    fmt,
    is_system_namespace,
    json_text,
    k8s,
    kind_gap,
    nodes,
    pod_controls,
    pod_owner,
    pod_specs,
    pvcs,
    text,
    truthy,
    workload_outcome,
    zone_spread,
)


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
    spread = pod_specs(wl).map(zone_spread)
    detail = ("spreads " + wl["replicas"].astype(str) + " replicas with "
              + spread.astype(str)).where(
        spread.notna(), "no zone topologySpreadConstraints or anti-affinity: the scheduler "
        "may place all " + wl["replicas"].astype(str) + " replicas in one zone")
    return outcome(wl["subject"], spread.notna(), detail)


# --- observed disruption budgets, zones, backups, filestore, probes, replicas -------------

PROBES_DOC = ("https://kubernetes.io/docs/tasks/configure-pod-container/"
              "configure-liveness-readiness-startup-probes/")
POLARIS_RELIABILITY = "https://polaris.docs.fairwinds.com/checks/reliability/"
KUBE_SCORE = "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md"
AKS_ZONES = "https://learn.microsoft.com/azure/aks/availability-zones"
ODOO_DEPLOY = "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
#: Words in a CronJob's name, labels, image or command that mark it as a backup.
BACKUP_WORDS = r"backup|pg_?dump|velero|barman|snapshot|restic|kopia"
#: Where the Odoo images keep the data directory (filestore, sessions).
FILESTORE_PATHS = r"/var/lib/odoo|/bitnami/odoo|filestore|/opt/odoo/data"
#: Long-running kinds that serve traffic and so need probes.
SERVING_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
#: A liveness probe that starts checking Odoo before this many seconds can kill a pod
#: still loading its modules (or migrating after an upgrade).
ODOO_STARTUP_SECONDS = 60


def _odoo_web(ev) -> pd.DataFrame:
    odoo = odoo_workloads(ev)
    return odoo[odoo["role"].eq("web")].reset_index(drop=True)


@check(
    id="RES-K8S-003",
    domain="resilience",
    severity="medium",
    title="PodDisruptionBudgets allow at least one disruption right now",
    rationale="A budget whose status says disruptionsAllowed: 0 blocks every voluntary "
    "eviction: node drains during an AKS upgrade or node-image patching stall and then "
    "force-delete the pods after the timeout (AKS upgrades drain for up to an hour per node "
    "before failing). The cause is usually minAvailable equal to the replica count, or "
    "pods that are not ready.",
    remediation="Set maxUnavailable: 1 (or minAvailable below the HPA minimum) and fix the "
    "unready pods the budget counts.",
    risk="Security patching and cluster upgrades stall, or take the shop down when they "
    "finally force the eviction",
    applies_to="PodDisruptionBudgets with status (a live cluster)",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
                "https://learn.microsoft.com/azure/aks/upgrade-cluster"],
)
def pdb_allows_disruption(ctx: CheckContext):
    pdb = k8s(ctx.ev, "PodDisruptionBudget")
    pdb = pdb[~is_system_namespace(pdb["namespace"])]
    st = pdb["status_obj"]
    allowed = pd.to_numeric(dig(st, "disruptionsAllowed"), errors="coerce")
    expected = dig(st, "expectedPods", "?").astype(str)
    healthy = dig(st, "currentHealthy", "?").astype(str)
    observed = allowed.notna()
    detail = ("disruptionsAllowed " + allowed.map(fmt).astype(str) + " (expectedPods "
              + expected + ", currentHealthy " + healthy + ")")
    detail = detail.where(~(allowed <= 0), detail + ": node drains are blocked now")
    detail = detail.where(observed, "no status in the evidence (manifests only): whether it "
                          "blocks drains is not observed")
    return outcome(pdb["subject"], allowed > 0, detail, observed)


def _eligible_zones(pods: pd.DataFrame, node: pd.DataFrame) -> pd.Series:
    """Per workload row, the sorted zones of the nodes its pods may run on: nodes whose
    labels include the pod's nodeSelector, without a NoSchedule/NoExecute taint (system
    pools' CriticalAddonsOnly) the pod does not tolerate."""
    nodes_ = list(zip(node["cluster"].tolist(), node["labels_obj"].tolist(),
                      [set(t) for t in node["taints"]], node["zone"].tolist(), strict=True))
    # Workloads of one shop share their selector and tolerations: each answer is worked
    # out once (the key is the JSON text, so equal keys are equal placements).
    known: dict[tuple, list[str]] = {}
    out = []
    for cluster, selector, tolerated in zip(pods["cluster"].tolist(),
                                            pods["node_selector"].tolist(),
                                            pods["tolerated"].tolist(), strict=True):
        key = (cluster, repr(selector), repr(sorted(map(str, tolerated))))
        if key not in known:
            zones = set()
            for n_cluster, labels, taints, zone in nodes_:
                if (n_cluster == cluster and selector.items() <= (labels or {}).items()
                        and ("*" in tolerated or taints <= tolerated)):
                    zones.add(zone or "no zone label")
            known[key] = sorted(zones)
        out.append(known[key])
    return pd.Series(out, index=pods.index, dtype=object)


@check(
    id="RES-K8S-004",
    domain="resilience",
    severity="high",
    title="Replicated workloads can run in the target number of zones (their nodes' zones)",
    rationale="Topology spread or anti-affinity only spreads pods over the zones where "
    "nodes they may use exist. A nodeSelector on a pool whose nodes sit in one zone, or "
    "untolerated taints elsewhere, keep every replica in that zone whatever the pod spec "
    "says; the node labels topology.kubernetes.io/zone tell where they are.",
    remediation="Spread the node pool the workload selects over availability zones 1-3 "
    "(a new zonal pool: zones cannot be added to an existing pool) and keep "
    "topologySpreadConstraints on topology.kubernetes.io/zone.",
    risk="Losing one datacenter zone takes every copy of the service down with it",
    applies_to="Deployments / StatefulSets with two or more replicas",
    requires=["k8s_objects"],
    references=[AKS_ZONES, "https://kubernetes.io/docs/reference/labels-annotations-taints/"
                "#topologykubernetesiozone"],
)
def replicas_fit_node_zones(ctx: CheckContext):
    wl = replicated_workloads(ctx.ev)
    node = nodes(ctx.ev)
    target = int(ctx.params.targets.min_availability_zones)
    if node.empty:
        gap = kind_gap(ctx.ev, "Node")
        why = f" ({gap})" if gap else " (list nodes too, or include them in the dump)"
        return outcome(wl["subject"], [False] * len(wl),
                       pd.Series("no Node objects in the evidence: zones cannot be matched"
                                 + why, index=wl.index), [False] * len(wl))
    p = pod_controls(ctx.ev).set_index("subject")
    pods = pd.DataFrame({"cluster": text(wl["cluster"]),
                         "node_selector": wl["subject"].map(p["node_selector"]).map(
                             lambda d: d if isinstance(d, dict) else {}),
                         "tolerated": pod_specs(wl).map(_tolerated)})
    zones = _eligible_zones(pods, node)
    count = zones.map(lambda z: len([x for x in z if x != "no zone label"]))
    spread = wl["subject"].map(p["zone_spread"])
    detail = (wl["replicas"].astype(str) + " replicas; eligible nodes in zones "
              + zones.map(lambda z: ", ".join(z) or "none").astype(str)
              + " (target " + str(target) + ")")
    detail = detail.where(spread.notna(), detail + "; no zone spread in the pod spec")
    return outcome(wl["subject"], (count >= target) & spread.notna(), detail)


def _tolerated(pod: object) -> set[str]:
    tolerations = (pod or {}).get("tolerations") or [] if isinstance(pod, dict) else []
    keys = {str(t.get("key", "")) for t in tolerations if isinstance(t, dict)}
    if any(isinstance(t, dict) and t.get("operator") == "Exists" and not t.get("key")
           for t in tolerations):
        keys.add("*")
    return keys


@check(
    id="RES-K8S-005",
    domain="resilience",
    severity="high",
    title="The running Odoo web pods are spread over availability zones",
    rationale="What counts in a zone outage is where the pods run now, not what the "
    "manifest asks for: a soft spread (ScheduleAnyway), a full zone or a rescheduling "
    "after a node failure can leave every Odoo web pod in one zone. The Pods' nodes and "
    "the nodes' zone labels show it.",
    remediation="Make the zone spread DoNotSchedule (maxSkew 1), give each zone node "
    "capacity, and reschedule (rollout restart) the pods that piled into one zone.",
    risk="A single zone outage stops the storefront even though the design looks "
    "zone-redundant",
    applies_to="Odoo web Deployments with running pods in the evidence",
    requires=["k8s_objects"],
    references=[AKS_ZONES, "https://kubernetes.io/docs/concepts/scheduling-eviction/"
                "topology-spread-constraints/"],
)
def odoo_pods_across_zones(ctx: CheckContext):
    web = _odoo_web(ctx.ev)
    pods, node = k8s(ctx.ev, "Pod"), nodes(ctx.ev)
    target = int(ctx.params.targets.min_availability_zones)
    if pods.empty or node.empty:
        missing = "Pods" if pods.empty else "Nodes"
        gap = kind_gap(ctx.ev, "Pod" if pods.empty else "Node")
        return outcome(web["subject"], [False] * len(web), pd.Series(
            f"no {missing} in the evidence: where the pods run is not observed"
            + (f" ({gap})" if gap else ""), index=web.index), [False] * len(web))
    zone_of = dict(zip(node["cluster"] + "/" + node["name"], node["zone"], strict=True))
    running = pods[dig(pods["status_obj"], "phase", "").astype(str).isin(["Running", ""])]
    owner = pod_owner(running)
    zone = (text(running["cluster"]) + "/" + text(dig(running["spec_obj"], "nodeName", "")))
    placed = pd.DataFrame({"owner": text(running["cluster"]) + "/" + owner,
                           "zone": zone.map(zone_of).fillna("")})
    per = placed.groupby("owner")["zone"].agg(lambda z: sorted(set(z) - {""}))
    n_pods = placed.groupby("owner").size()
    key = text(web["cluster"]) + "/" + text(web["namespace"]) + "/" + web["name"]
    zones = key.map(per).map(lambda z: z if isinstance(z, list) else [])
    count = key.map(n_pods).fillna(0).astype(int)
    need = np.minimum(target, count)
    detail = (count.astype(str) + " running pods in zones "
              + zones.map(lambda z: ", ".join(z) or "unknown") + " (target "
              + str(target) + ")")
    assessed = count > 0
    detail = detail.where(assessed, "no running pods of this Deployment in the evidence")
    return outcome(web["subject"], zones.map(len) >= need, detail, assessed)


@check(
    id="RES-K8S-006",
    domain="resilience",
    severity="high",
    title="Backup CronJobs ran successfully within twice their schedule interval",
    rationale="A backup CronJob that fails keeps its schedule and shows no error anywhere "
    "unless someone looks: status.lastSuccessfulTime is the only proof a backup was "
    "written. Judged against the review date, with twice the schedule's longest gap (and a "
    "day of slack) allowed.",
    remediation="Fix the failing job (kubectl get jobs, logs of the last pod), alert on "
    "kube_cronjob_status_last_successful_time, and un-suspend suspended backups.",
    risk="The shop believes it has recent backups that do not exist",
    applies_to="backup CronJobs (name, labels, image or command mention backup / pg_dump / "
    "velero...)",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/",
                "https://learn.microsoft.com/azure/aks/operator-best-practices-storage"],
)
def backup_cronjobs_recent(ctx: CheckContext):
    jobs = k8s(ctx.ev, "CronJob")
    c = container_controls(ctx.ev)
    images = c.groupby("subject")["image"].agg(" ".join)
    about = (jobs["name"] + " " + text(json_text(ctx.ev, jobs, "labels")) + " "
             + text(jobs["subject"].map(images)) + " " + text(json_text(ctx.ev, jobs, "spec")))
    jobs = jobs[about.str.contains(BACKUP_WORDS, case=False, regex=True)].reset_index(
        drop=True)
    if jobs.empty:
        return outcome([], [], [])
    schedule = dig(jobs["spec_obj"], "schedule", "").astype(str)
    interval = schedule.map(cron_max_interval_minutes).astype(float).fillna(1440.0)
    allowed_h = 2 * interval / 60 + 24
    last = pd.to_datetime(dig(jobs["status_obj"], "lastSuccessfulTime"), errors="coerce",
                          utc=True)
    end_of_day = pd.Timestamp(ctx.as_of, tz="UTC") + pd.Timedelta(days=1)
    age_h = (end_of_day - last).dt.total_seconds() / 3600
    suspended = truthy(dig(jobs["spec_obj"], "suspend", False))
    has_status = jobs["status_obj"].map(bool)
    detail = ("last successful run " + age_h.map(lambda h: f"{h / 24:.1f} days").astype(str)
              + " before the end of " + str(ctx.as_of) + " (schedule '" + schedule
              + "', allowed " + (allowed_h / 24).map(lambda d: f"{d:.1f}") + " days)")
    detail = detail.where(last.notna(), "never succeeded (no status.lastSuccessfulTime; last "
                          "scheduled " + text(dig(jobs["status_obj"], "lastScheduleTime",
                                                  "never")) + ")")
    detail = detail.where(~suspended, "suspended: " + detail)
    detail = detail.where(has_status, "no status in the evidence (manifests only): the last "
                          "successful run is not observed")
    return outcome(jobs["subject"], (age_h <= allowed_h) & ~suspended, detail, has_status)


@check(
    id="RES-K8S-007",
    domain="resilience",
    severity="high",
    title="Odoo web with more than one replica keeps its filestore on a shared volume",
    rationale="Odoo writes attachments, images and sessions to its data directory. With "
    "several web pods each request may land on another pod: a ReadWriteOnce disk (Azure "
    "Disk) can be attached to one node only and an emptyDir is per pod, so uploads vanish "
    "or pods cannot start on other nodes. The filestore belongs on a ReadWriteMany volume "
    "(Azure Files / Blob CSI) or in object storage.",
    remediation="Mount the data directory from a ReadWriteMany PVC (azurefile-csi-premium "
    "or Blob CSI storage class), or store attachments in Azure Blob storage, and migrate "
    "the existing filestore.",
    risk="Product images and invoice attachments go missing or the shop cannot scale out "
    "at peak",
    applies_to="Odoo web workloads that run (or may scale to) more than one replica",
    requires=["k8s_objects"],
    references=[ODOO_DEPLOY, "https://kubernetes.io/docs/concepts/storage/persistent-volumes/"
                "#access-modes", "https://learn.microsoft.com/azure/aks/concepts-storage"],
)
def odoo_filestore_shared(ctx: CheckContext):
    web = _odoo_web(ctx.ev)
    web = web[web["max_pods"].fillna(web["replicas"]).gt(1)].reset_index(drop=True)
    p = pod_controls(ctx.ev).set_index("subject")
    c = container_controls(ctx.ev)
    c = c[~c["init"] & c["image"].str.contains(r"(?:^|/)odoo", regex=True)] \
        .drop_duplicates("subject").set_index("subject")
    claims = pvcs(ctx.ev)
    modes = dict(zip(claims["cluster"] + "/" + claims["namespace"] + "/" + claims["name"],
                     claims["access_modes"], strict=True))
    classes = dict(zip(claims["cluster"] + "/" + claims["namespace"] + "/" + claims["name"],
                       claims["storage_class"], strict=True))
    passed, assessed, details = [], [], []
    for subject, cluster, ns in zip(web["subject"], text(web["cluster"]),
                                    text(web["namespace"]), strict=True):
        mounts = c["mounts"].get(subject, {}) if subject in c.index else {}
        data = [v for v, path in mounts.items()
                if re.search(FILESTORE_PATHS, path)]
        vol_claims = p["claims"].get(subject, {}) if subject in p.index else {}
        claim = next((vol_claims[v] for v in data if v in vol_claims), None)
        if claim is None:
            passed.append(False)
            assessed.append(True)
            details.append("the Odoo data directory is not on a PersistentVolumeClaim "
                           "(emptyDir or the container's own disk): each pod keeps its own "
                           "filestore" if data else "no volume at the Odoo data directory: "
                           "each pod writes its filestore to its own container disk")
            continue
        key = f"{cluster}/{ns}/{claim}"
        if key not in modes:
            passed.append(False)
            assessed.append(False)
            details.append(f"filestore claim {claim} not in the evidence: access mode unknown")
            continue
        rwx = "ReadWriteMany" in modes[key]
        passed.append(rwx)
        assessed.append(True)
        details.append(f"filestore claim {claim} ({classes[key] or 'default class'}) is "
                       + ", ".join(modes[key] or ["no access mode"])
                       + ("" if rwx else ": one node at a time, not shared by the replicas"))
    return outcome(web["subject"], passed, details, assessed)


@check(
    id="RES-K8S-008",
    domain="resilience",
    severity="medium",
    title="Serving containers have liveness and readiness probes",
    rationale="Without a readiness probe a pod gets traffic before Odoo has loaded its "
    "registry and keeps getting it when it hangs; without a liveness probe a deadlocked "
    "worker is never restarted. Polaris and kube-score flag both.",
    remediation="Add readinessProbe and livenessProbe (Odoo: httpGet /web/health on the "
    "HTTP port; liveness with a higher failureThreshold than readiness).",
    risk="Shoppers are sent to pods that cannot answer, and hung pods are never replaced",
    applies_to="containers of Deployments, StatefulSets and DaemonSets",
    requires=["k8s_objects"],
    references=[PROBES_DOC, POLARIS_RELIABILITY, KUBE_SCORE],
)
def serving_probes(ctx: CheckContext):
    p = pod_controls(ctx.ev)
    p = p[p["kind"].isin(SERVING_KINDS)]
    c = container_controls(ctx.ev)
    c = c[~c["init"]]
    bad = ~(c["liveness"] & c["readiness"])
    missing = (pd.Series(np.where(c["liveness"], "", "no livenessProbe, "), index=c.index)
               + np.where(c["readiness"], "", "no readinessProbe")).str.rstrip(", ")
    return workload_outcome(p["subject"], c, bad, "container " + c["container"] + ": "
                            + missing, "liveness and readiness probes on every container")


@check(
    id="RES-K8S-009",
    domain="resilience",
    severity="medium",
    title="Odoo web pods give Odoo time to start (startup probe or a delayed liveness probe)",
    rationale="Odoo loads every installed module before it answers, and runs migrations "
    f"after an upgrade; that often takes more than a minute. A liveness probe that starts "
    f"checking earlier than {ODOO_STARTUP_SECONDS} s restarts the pod in a loop exactly "
    "when a release or a scale-out needs it. A startupProbe holds the liveness probe back "
    "until Odoo answers.",
    remediation="Add a startupProbe (httpGet /web/health, periodSeconds 10, "
    "failureThreshold 30) to the Odoo container.",
    risk="A release or scale-out at peak can leave Odoo restarting in a loop instead of "
    "serving",
    applies_to="Odoo web workloads",
    requires=["k8s_objects"],
    references=[PROBES_DOC, ODOO_DEPLOY],
)
def odoo_startup_probe(ctx: CheckContext):
    web = _odoo_web(ctx.ev)
    if web.empty:
        return outcome([], [], [])
    c = container_controls(ctx.ev)
    c = c[~c["init"] & c["image"].str.contains(r"(?:^|/)odoo", regex=True)
          & ~c["image"].str.contains("exporter", regex=False)]
    c = c.drop_duplicates("subject").set_index("subject")
    startup = web["subject"].map(c["startup"]).fillna(False).astype(bool)
    live = web["subject"].map(c["liveness"]).fillna(False).astype(bool)
    delay = pd.to_numeric(web["subject"].map(c["liveness_delay"]), errors="coerce")
    ok = startup | (live & (delay >= ODOO_STARTUP_SECONDS))
    detail = pd.Series(np.select(
        [startup, live], ["startupProbe holds liveness back until Odoo answers",
                          "no startupProbe; liveness starts after " + delay.map(fmt)
                          + f" s (needs {ODOO_STARTUP_SECONDS} s or a startupProbe)"],
        "no startupProbe and no livenessProbe"), index=web.index)
    return outcome(web["subject"], ok, detail)


@check(
    id="RES-K8S-010",
    domain="resilience",
    severity="high",
    title="The Odoo web tier runs at least two replicas at all times",
    rationale="With one web pod every node drain, rollout, OOM kill or node failure is an "
    "outage. Two replicas (the HPA minimum when an HPA scales it) keep the shop up while "
    "one is replaced.",
    remediation="Set spec.replicas: 2 or more (and the HPA's minReplicas >= 2), with zone "
    "spread and a PodDisruptionBudget.",
    risk="Any restart of the single web pod takes the storefront offline",
    applies_to="Odoo web workloads",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/best-practices-app-cluster-reliability",
                ODOO_DEPLOY],
)
def odoo_web_replicas(ctx: CheckContext):
    web = _odoo_web(ctx.ev)
    if web.empty:
        return outcome([], [], [])
    floor = web["hpa_min"].fillna(web["replicas"])
    source = np.where(web["hpa_min"].notna(), "HPA minReplicas", "spec.replicas")
    detail = pd.Series(source, index=web.index) + " " + floor.map(fmt)
    detail = detail.where(floor >= 2, detail + ": one pod carries the whole storefront")
    return outcome(web["subject"], floor >= 2, detail)
