"""Operations checks on Kubernetes objects: API versions the cluster's upgrades will remove,
monitoring rules for the shop's workloads."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness_kit.capacity import odoo_workloads
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import k8s, kind_gap, text

DEPRECATION_GUIDE = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"
#: (apiVersion, kind) -> (what replaces it, when it stopped being served).
#: From the Kubernetes deprecated API migration guide and the Traefik v3 migration guide.
DEPRECATED_APIS = {
    ("extensions/v1beta1", "Ingress"): ("networking.k8s.io/v1", "Kubernetes 1.22"),
    ("networking.k8s.io/v1beta1", "Ingress"): ("networking.k8s.io/v1", "Kubernetes 1.22"),
    ("networking.k8s.io/v1beta1", "IngressClass"): ("networking.k8s.io/v1", "Kubernetes 1.22"),
    ("extensions/v1beta1", "Deployment"): ("apps/v1", "Kubernetes 1.16"),
    ("apps/v1beta1", "Deployment"): ("apps/v1", "Kubernetes 1.16"),
    ("apps/v1beta2", "Deployment"): ("apps/v1", "Kubernetes 1.16"),
    ("extensions/v1beta1", "DaemonSet"): ("apps/v1", "Kubernetes 1.16"),
    ("apps/v1beta2", "DaemonSet"): ("apps/v1", "Kubernetes 1.16"),
    ("apps/v1beta1", "StatefulSet"): ("apps/v1", "Kubernetes 1.16"),
    ("apps/v1beta2", "StatefulSet"): ("apps/v1", "Kubernetes 1.16"),
    ("extensions/v1beta1", "NetworkPolicy"): ("networking.k8s.io/v1", "Kubernetes 1.16"),
    ("batch/v1beta1", "CronJob"): ("batch/v1", "Kubernetes 1.25"),
    ("policy/v1beta1", "PodDisruptionBudget"): ("policy/v1", "Kubernetes 1.25"),
    ("policy/v1beta1", "PodSecurityPolicy"): ("Pod Security Admission", "Kubernetes 1.25"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): ("autoscaling/v2", "Kubernetes 1.25"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("autoscaling/v2", "Kubernetes 1.26"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): ("storage.k8s.io/v1", "Kubernetes 1.27"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"):
        ("flowcontrol.apiserver.k8s.io/v1", "Kubernetes 1.29"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"):
        ("rbac.authorization.k8s.io/v1", "Kubernetes 1.22"),
    ("rbac.authorization.k8s.io/v1beta1", "Role"):
        ("rbac.authorization.k8s.io/v1", "Kubernetes 1.22"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"):
        ("rbac.authorization.k8s.io/v1", "Kubernetes 1.22"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"):
        ("rbac.authorization.k8s.io/v1", "Kubernetes 1.22"),
}
#: API groups removed wholesale: Traefik v3 no longer reads traefik.containo.us.
DEPRECATED_GROUPS = {"traefik.containo.us": ("traefik.io", "Traefik v3")}
MONITORING_GROUPS = ("monitoring.coreos.com/", "azmonitoring.coreos.com/")
_NAMESPACE_MATCHER = re.compile(r'namespace=~?"([^"]+)"')


_DEPRECATED = pd.DataFrame([(api, kind, new, when) for (api, kind), (new, when)
                            in DEPRECATED_APIS.items()],
                           columns=["api", "kind", "use", "since"])


def _replacement(api: pd.Series, kind: pd.Series) -> pd.DataFrame:
    """Per row: ``use`` (the replacement) and ``since`` (when the version stopped being
    served), NaN where ``api`` is still served."""
    rows = pd.DataFrame({"api": api.to_numpy(), "kind": kind.to_numpy()})
    hit = rows.merge(_DEPRECATED, on=["api", "kind"], how="left").set_index(api.index)
    group = api.str.split("/").str[0].map(DEPRECATED_GROUPS)
    by_group = group.dropna()
    hit.loc[by_group.index, "use"] = by_group.map(lambda r: r[0])
    hit.loc[by_group.index, "since"] = by_group.map(lambda r: r[1])
    return hit[["use", "since"]]


@check(
    id="OPS-K8S-001",
    domain="operations",
    severity="high",
    title="No object uses an API version that current Kubernetes (or Traefik) no longer "
    "serves",
    rationale="Manifests still written against removed API versions (policy/v1beta1 PDBs, "
    "autoscaling/v2beta2 HPAs, extensions/v1beta1 Ingresses, traefik.containo.us routes) "
    "fail to apply after an upgrade, or are silently ignored by Traefik v3: the next AKS "
    "upgrade or GitOps sync breaks the release path. A live cluster converts what it still "
    "serves, so these show in manifests folders and GitOps repositories.",
    remediation="Migrate the manifests with `kubectl convert` / the replacements named in "
    "the detail, re-apply them through GitOps, and run a deprecation scan (pluto, kubent) "
    "in CI before each AKS upgrade.",
    risk="The next platform upgrade or release can fail part-way and leave the shop "
    "half-deployed",
    applies_to="Kubernetes objects",
    requires=["k8s_objects"],
    references=[DEPRECATION_GUIDE,
                "https://learn.microsoft.com/azure/aks/stop-cluster-upgrade-api-breaking-"
                "changes", "https://doc.traefik.io/traefik/migration/v2-to-v3/"],
)
def no_deprecated_api_versions(ctx: CheckContext):
    objs = k8s(ctx.ev, parsed=())
    api = text(objs["api_version"])
    use = _replacement(api, objs["kind"])
    bad = use["use"].notna()
    hit, use = objs[bad], use[bad]
    detail = (api[bad] + " " + hit["kind"] + ": not served since " + use["since"] + "; use "
              + use["use"])
    clusters = text(objs["cluster"])
    totals = clusters.value_counts()
    clean = sorted(set(clusters) - set(clusters[bad]))
    return pd.concat([
        outcome(hit["subject"], [False] * len(hit), detail),
        outcome(["cluster:" + (c or "(unnamed)") for c in clean], [True] * len(clean),
                [f"no removed API version among {totals[c]} objects" for c in clean]),
    ], ignore_index=True)


@check(
    id="OPS-K8S-002",
    domain="operations",
    severity="medium",
    title="Every Odoo namespace is scraped (ServiceMonitor / PodMonitor) and has alert rules "
    "(PrometheusRule)",
    rationale="Container Insights shows that pods run; it does not know that Odoo's "
    "workers are saturated or that the longpolling port stopped answering. With the "
    "Prometheus Operator (or Azure Managed Prometheus, azmonitoring.coreos.com) a "
    "ServiceMonitor/PodMonitor scrapes the shop and PrometheusRules page someone before "
    "customers notice.",
    remediation="Add a ServiceMonitor (or PodMonitor) for the Odoo and Traefik metrics and "
    "a PrometheusRule with alerts on available web replicas, 5xx rate, latency and cron "
    "backlog, routed to the on-call rota.",
    risk="The shop can degrade for hours before anyone notices",
    applies_to="namespaces running Odoo",
    requires=["k8s_objects"],
    references=["https://prometheus-operator.dev/docs/api-reference/api/",
                "https://learn.microsoft.com/azure/azure-monitor/containers/"
                "prometheus-metrics-scrape-crd",
                "https://learn.microsoft.com/azure/aks/monitor-aks"],
)
def odoo_monitoring_rules(ctx: CheckContext):
    odoo = odoo_workloads(ctx.ev)
    ns = pd.DataFrame({"cluster": text(odoo["cluster"]),
                       "namespace": text(odoo["namespace"])}).drop_duplicates()
    ns = ns.reset_index(drop=True)
    objs = k8s(ctx.ev, "ServiceMonitor", "PodMonitor", "PrometheusRule")
    objs = objs[text(objs["api_version"]).str.startswith(MONITORING_GROUPS)]
    scrape = objs[objs["kind"].ne("PrometheusRule")]
    rules = objs[objs["kind"].eq("PrometheusRule")]
    # A monitor selects namespaces through namespaceSelector (matchNames / any).
    sel = scrape["spec_obj"].map(lambda s: (s or {}).get("namespaceSelector") or {})
    scraped = set(text(scrape["cluster"]) + "/" + text(scrape["namespace"]))
    for cluster, s in zip(text(scrape["cluster"]), sel, strict=True):
        scraped |= {f"{cluster}/{n}" for n in s.get("matchNames", []) or []}
        if s.get("any"):
            scraped.add(f"{cluster}/*")
    alerts = rules["spec_obj"].map(lambda s: [
        r for g in (s or {}).get("groups", []) or [] for r in g.get("rules", []) or []
        if isinstance(r, dict) and r.get("alert")])
    # A rule counts for a namespace when it lives there or its alert expressions select it
    # (namespace="x" / namespace=~"x|y" matchers).
    named = alerts.map(lambda rs: {n for r in rs for m in _NAMESPACE_MATCHER.findall(
        str(r.get("expr", ""))) for n in m.split("|")})
    ruled = set((text(rules["cluster"]) + "/" + text(rules["namespace"]))[alerts.map(bool)])
    ruled |= {f"{c}/{n}" for c, names in zip(text(rules["cluster"]), named, strict=True)
              for n in names}
    key = ns["cluster"] + "/" + ns["namespace"]
    is_scraped = key.isin(scraped) | (ns["cluster"] + "/*").isin(scraped)
    has_rule = key.isin(ruled)
    gap = kind_gap(ctx.ev, "ServiceMonitor", "PodMonitor", "PrometheusRule")
    detail = pd.Series(np.where(is_scraped, "scraped by a ServiceMonitor/PodMonitor",
                                "no ServiceMonitor/PodMonitor"), index=ns.index) + ", " + \
        np.where(has_rule, "alert rules in a PrometheusRule", "no PrometheusRule alert for it")
    assessed = pd.Series(gap is None or bool(len(objs)), index=ns.index)
    if gap:
        detail = detail.where(assessed, "monitoring objects not collected (" + gap + ")")
    return outcome("Namespace/-/" + ns["namespace"], is_scraped & has_rule, detail, assessed)
