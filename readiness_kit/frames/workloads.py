"""Kubernetes workload controls as typed columns, parsed once per evidence.

The workload checks (probes, security context, host access, secrets in env, spread, volumes)
and the workload views read these frames instead of walking pod specs themselves:

- ``container_controls(ev)``: one row per (init) container of every application workload
  (``workload_pod_specs``: outside platform namespaces, not owned by another controller)
  with the effective security context (container over pod), probes, image parts and pull
  policy, literal secret-like env variable *names* (never their values);
- ``pod_controls(ev)``: one row per application workload with host namespaces, hostPath
  volumes, service-account token automount, zone spread, node selector and the claims and
  mount paths of its volumes;
- ``nodes(ev)``, ``pvcs(ev)``, ``tenant_namespaces(ev, params)`` and ``kind_gap(ev, kind)``
  (the collection gap that explains why a kind is missing).

Each builder walks the pod specs in one Python pass (the JSON is nested and irregular) and
returns columns; checks then work on whole columns. Parsed dicts are shared: never change
them in place.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.core import joined_by, per_evidence, text
from readiness_kit.frames.kubernetes import (
    image_parts,
    is_system_namespace,
    k8s,
    workload_pod_specs,
)
from readiness_kit.redaction import REDACTED

#: Node labels that name a node's availability zone (the first is the stable one).
ZONE_KEYS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
#: Env variable names whose literal ``value`` is a credential. The collector already turns
#: such values into ``<redacted>`` (which counts too); only the name reaches a finding.
SECRET_ENV_NAME = re.compile(
    r"(PASSW(OR)?D|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|"
    r"CONN(ECTION)?_?STR(ING)?|SAS|ADMIN_PASSWD|DB_PASSWORD)", re.I)
#: Env names that look secret-like but name a file or a reference, not the value.
_NOT_A_VALUE = re.compile(r"(_FILE|_PATH|_NAME|_URL_TEMPLATE|_KEY_ID|_USER(NAME)?)$", re.I)

CONTAINER_CONTROL_COLUMNS = [
    "subject", "cluster", "kind", "namespace", "name", "container", "init", "image",
    "registry", "repository", "tag", "digest", "pull_policy", "pull_policy_effective",
    "liveness", "readiness", "startup", "liveness_delay", "privileged", "allow_escalation",
    "read_only_root", "run_as_non_root", "run_as_user", "caps_drop", "caps_add", "seccomp",
    "secret_env", "ports", "mounts",
]
_BOOL_COLUMNS = {"init", "liveness", "readiness", "startup", "privileged", "host_network",
                 "host_pid", "host_ipc"}
POD_CONTROL_COLUMNS = [
    "subject", "cluster", "kind", "namespace", "name", "host_network", "host_pid", "host_ipc",
    "host_paths", "automount", "service_account", "zone_spread", "node_selector", "claims",
    "replicas", "pod_labels",
]


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _first(*values: Any) -> Any:
    for v in values:
        if v is not None:
            return v
    return None


def zone_spread(pod: dict | None) -> str | None:
    """How a pod spec spreads its pods across zones (topology spread constraints or pod
    anti-affinity on a zone key), as a phrase; None when it does not."""
    pod = _dict(pod)
    for c in _list(pod.get("topologySpreadConstraints")):
        if _dict(c).get("topologyKey") in ZONE_KEYS:
            return (f"topologySpreadConstraints on {c['topologyKey']} (maxSkew "
                    f"{c.get('maxSkew', 1)}, {c.get('whenUnsatisfiable', 'DoNotSchedule')})")
    anti = _dict(_dict(pod.get("affinity")).get("podAntiAffinity"))
    terms = [*_list(anti.get("requiredDuringSchedulingIgnoredDuringExecution")),
             *[_dict(t).get("podAffinityTerm", {})
               for t in _list(anti.get("preferredDuringSchedulingIgnoredDuringExecution"))]]
    if any(_dict(t).get("topologyKey") in ZONE_KEYS for t in terms):
        return "pod anti-affinity across zones"
    return None


def _secret_env(container: dict) -> list[str]:
    names = []
    for env in _list(container.get("env")):
        env = _dict(env)
        name = str(env.get("name", ""))
        value = env.get("value")
        if value == REDACTED or (value not in (None, "") and SECRET_ENV_NAME.search(name)
                                 and not _NOT_A_VALUE.search(name)):
            names.append(name)
    return names


def _container_row(c: dict, pod_sc: dict, init: bool) -> tuple:
    sc = _dict(c.get("securityContext"))
    caps = _dict(sc.get("capabilities"))
    seccomp = _first(_dict(sc.get("seccompProfile")).get("type"),
                     _dict(pod_sc.get("seccompProfile")).get("type"))
    live = _dict(c.get("livenessProbe"))
    return (
        str(c.get("name", "")), init, str(c.get("image", "")), c.get("imagePullPolicy"),
        bool(live), bool(c.get("readinessProbe")), bool(c.get("startupProbe")),
        float(live.get("initialDelaySeconds", 0) or 0) if live else float("nan"),
        sc.get("privileged") is True,
        sc.get("allowPrivilegeEscalation"),
        sc.get("readOnlyRootFilesystem"),
        _first(sc.get("runAsNonRoot"), pod_sc.get("runAsNonRoot")),
        _first(sc.get("runAsUser"), pod_sc.get("runAsUser")),
        [str(x).upper() for x in _list(caps.get("drop"))],
        [str(x).upper() for x in _list(caps.get("add"))],
        seccomp,
        _secret_env(c),
        [p.get("containerPort") for p in _list(c.get("ports")) if isinstance(p, dict)],
        {str(_dict(m).get("name")): str(_dict(m).get("mountPath", ""))
         for m in _list(c.get("volumeMounts"))},
    )


@per_evidence
def container_controls(ev: Evidence) -> pd.DataFrame | None:
    """One row per container and init container of each application workload
    (``CONTAINER_CONTROL_COLUMNS``). Security settings are effective values: the
    container's own, else the pod's (runAsNonRoot, runAsUser, seccomp); None where neither
    sets them. ``pull_policy_effective`` applies the API server default (``Always`` for
    ``:latest`` or no tag, else ``IfNotPresent``). None when k8s_objects was not
    collected."""
    wl = workload_pod_specs(ev)
    if wl is None:
        return None
    keys, rows = [], []
    for i, pod in enumerate(wl["pod"]):
        pod = _dict(pod)
        pod_sc = _dict(pod.get("securityContext"))
        for init, listed in ((True, pod.get("initContainers")), (False, pod.get("containers"))):
            for c in _list(listed):
                if isinstance(c, dict):
                    keys.append(i)
                    rows.append(_container_row(c, pod_sc, init))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=bool if c in _BOOL_COLUMNS else object)
                             for c in CONTAINER_CONTROL_COLUMNS})
    facts = pd.DataFrame(rows, columns=CONTAINER_CONTROL_COLUMNS[5:8] + [
        "pull_policy", "liveness", "readiness", "startup", "liveness_delay", "privileged",
        "allow_escalation", "read_only_root", "run_as_non_root", "run_as_user", "caps_drop",
        "caps_add", "seccomp", "secret_env", "ports", "mounts"])
    base = wl.loc[keys, ["subject", "cluster", "kind", "namespace", "name"]].reset_index(
        drop=True)
    out = pd.concat([base, facts], axis=1)
    parts = image_parts(out["image"])
    out = pd.concat([out, parts[["registry", "repository", "tag", "digest"]]], axis=1)
    mutable_default = parts["tag"].eq("latest") & parts["digest"].eq("")
    default = pd.Series("IfNotPresent", index=out.index).where(~mutable_default, "Always")
    out["pull_policy_effective"] = text(out["pull_policy"]).where(
        out["pull_policy"].notna(), default)
    for col in ("allow_escalation", "read_only_root", "run_as_non_root", "run_as_user",
                "seccomp", "pull_policy"):
        out[col] = out[col].astype(object)
    return out[CONTAINER_CONTROL_COLUMNS]


@per_evidence
def pod_controls(ev: Evidence) -> pd.DataFrame | None:
    """One row per application workload (``POD_CONTROL_COLUMNS``): host namespaces,
    ``host_paths`` (list of paths), ``automount`` (the pod's automountServiceAccountToken,
    None when unset), ``service_account`` (default ``default``), ``zone_spread``,
    ``node_selector``, ``claims`` (volume name -> PVC claim name), ``replicas``
    (spec.replicas; 1 for kinds without one) and ``pod_labels``. None when k8s_objects
    was not collected."""
    wl = workload_pod_specs(ev)
    if wl is None:
        return None
    rows = []
    for pod, spec, kind in zip(wl["pod"], wl["spec_obj"], wl["kind"], strict=True):
        pod, spec = _dict(pod), _dict(spec)
        volumes = [_dict(v) for v in _list(pod.get("volumes"))]
        template = _dict(spec.get("template")) if kind != "CronJob" else _dict(
            _dict(_dict(_dict(spec.get("jobTemplate")).get("spec")).get("template")))
        rows.append((
            pod.get("hostNetwork") is True, pod.get("hostPID") is True,
            pod.get("hostIPC") is True,
            [str(_dict(v.get("hostPath")).get("path", "")) for v in volumes
             if "hostPath" in v],
            pod.get("automountServiceAccountToken"),
            str(pod.get("serviceAccountName") or pod.get("serviceAccount") or "default"),
            zone_spread(pod),
            _dict(pod.get("nodeSelector")),
            {str(v.get("name")): str(_dict(v.get("persistentVolumeClaim")).get("claimName"))
             for v in volumes if "persistentVolumeClaim" in v},
            float(spec.get("replicas", 1)) if kind in ("Deployment", "StatefulSet",
                                                        "ReplicaSet") else 1.0,
            _dict(_dict(template.get("metadata")).get("labels")) if kind != "Pod"
            else {},
        ))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=bool if c in _BOOL_COLUMNS else object)
                             for c in POD_CONTROL_COLUMNS})
    facts = pd.DataFrame(rows, columns=POD_CONTROL_COLUMNS[5:])
    out = pd.concat([wl[["subject", "cluster", "kind", "namespace", "name"]], facts], axis=1)
    out["automount"] = out["automount"].astype(object)
    return out[POD_CONTROL_COLUMNS]


@per_evidence
def nodes(ev: Evidence) -> pd.DataFrame | None:
    """Node objects: cluster, name, zone ("" when unlabelled), pool (AKS agent pool),
    mode (system | user | ""), taints (keys of NoSchedule / NoExecute taints), labels_obj.
    None when k8s_objects was not collected."""
    n = k8s(ev, "Node")
    if n is None:
        return None
    labels = n["labels_obj"]
    zone = labels.map(lambda d: str(_first(*(_dict(d).get(k) for k in ZONE_KEYS)) or ""))
    return pd.DataFrame({
        "cluster": text(n["cluster"]), "name": n["name"], "zone": zone,
        "pool": labels.map(lambda d: str(_dict(d).get("kubernetes.azure.com/agentpool")
                                         or _dict(d).get("agentpool") or "")),
        "mode": labels.map(lambda d: str(_dict(d).get("kubernetes.azure.com/mode", ""))),
        "taints": n["spec_obj"].map(lambda s: sorted({
            str(_dict(t).get("key", "")) for t in _list(_dict(s).get("taints"))
            if _dict(t).get("effect") in ("NoSchedule", "NoExecute")})),
        "labels_obj": labels,
    })


@per_evidence
def pvcs(ev: Evidence) -> pd.DataFrame | None:
    """PersistentVolumeClaims: cluster, namespace, name, access_modes (list; status wins
    over spec), storage_class, phase."""
    p = k8s(ev, "PersistentVolumeClaim")
    if p is None:
        return None
    modes = [(_list(_dict(st).get("accessModes")) or _list(_dict(sp).get("accessModes")))
             for sp, st in zip(p["spec_obj"], p["status_obj"], strict=True)]
    return pd.DataFrame({
        "cluster": text(p["cluster"]), "namespace": text(p["namespace"]), "name": p["name"],
        "access_modes": pd.Series(modes, index=p.index, dtype=object),
        "storage_class": p["spec_obj"].map(lambda s: str(_dict(s).get("storageClassName")
                                                         or "")),
        "phase": p["status_obj"].map(lambda s: str(_dict(s).get("phase") or "")),
    })


def tenant_namespaces(ev: Evidence) -> pd.DataFrame | None:
    """Tenant namespaces of a multi-tenant cluster: cluster, namespace, subject
    (``Namespace/-/<ns>``). A tenant namespace is one labelled ``readiness.kit/tenant``
    (or ``tenant``) or one that runs Odoo; platform and shared ingress / monitoring
    namespaces are not tenants."""
    from readiness_kit.capacity import odoo_workloads  # capacity reads frames

    objs = k8s(ev, "Namespace")
    odoo = odoo_workloads(ev)
    if objs is None or odoo is None:
        return None
    labelled = objs[objs["labels_obj"].map(
        lambda d: bool({"readiness.kit/tenant", "tenant"} & set(_dict(d)))).astype(bool)]
    ns = pd.concat([
        pd.DataFrame({"cluster": text(labelled["cluster"]), "namespace": labelled["name"]}),
        pd.DataFrame({"cluster": text(odoo["cluster"]), "namespace": text(odoo["namespace"])}),
    ]).drop_duplicates()
    ns = ns[ns["namespace"].ne("") & ~is_system_namespace(ns["namespace"])]
    ns = ns.sort_values(["cluster", "namespace"]).reset_index(drop=True)
    ns["subject"] = "Namespace/-/" + ns["namespace"]
    return ns


def kind_gap(ev: Evidence, *kinds: str) -> str | None:
    """The collection gap (``what: reason``) that says one of ``kinds`` could not be read
    from Kubernetes (a 403/404 while listing it, a folder without it), or None."""
    gaps = ev.gaps
    if gaps.empty:
        return None
    about = (text(gaps["table"]) + " " + text(gaps["what"]) + " " + text(gaps["source"]))
    k8s_gap = about.str.contains("k8s|kubernetes", case=False, regex=True)
    words = "|".join(re.escape(k.lower()) + "e?s?" for k in kinds)
    hit = gaps[k8s_gap & text(gaps["what"]).str.lower().str.contains(
        rf"\b(?:{words})\b", regex=True)]
    if hit.empty:
        return None
    row = hit.iloc[0]
    return f"{row['what']}: {row['reason']}"


def pod_owner(pods: pd.DataFrame) -> pd.Series:
    """The workload a Pod belongs to, as ``namespace/name``: from the ``owner`` column
    (``ReplicaSet/<deployment>-<pod-template-hash>`` -> the Deployment; a StatefulSet,
    DaemonSet or Job by its name), else from the names the controllers give their pods
    (``<deployment>-<hash>-<5 chars>``, ``<name>-<5 chars>``, ``<statefulset>-<ordinal>``)."""
    hash_ = pods["labels_obj"].map(lambda d: str(_dict(d).get("pod-template-hash", "")))
    owner = text(pods["owner"] if "owner" in pods else pd.Series(None, index=pods.index))
    out = []
    for n, h, o in zip(text(pods["name"]), hash_, owner, strict=True):
        kind, _, name = o.partition("/")
        if kind == "ReplicaSet":
            out.append(name[: -len(h) - 1] if h and name.endswith("-" + h) else name)
        elif kind in ("StatefulSet", "DaemonSet", "Job"):
            out.append(name)
        elif h and ("-" + h + "-") in n:
            out.append(n[: n.rfind("-" + h + "-")])
        else:
            out.append(re.sub(r"-([a-z0-9]{5}|\d+)$", "", n))
    return text(pods["namespace"]) + "/" + pd.Series(out, index=pods.index, dtype=object)


def workload_outcome(subjects: pd.Series, rows: pd.DataFrame, bad: pd.Series,
                     what: pd.Series, ok: str | pd.Series) -> pd.DataFrame:
    """``outcome()`` with one row per workload ``subjects``: fail with the ``what`` phrases
    of its ``rows`` (containers, volumes...) where ``bad``, joined by "; "; pass with ``ok``
    (a sentence, or one per subject) otherwise."""
    from readiness_kit.checks.registry import outcome  # the registry imports the checks

    found = joined_by(rows["subject"][bad], what[bad], lambda s: "; ".join(dict.fromkeys(s)))
    hit = subjects.map(found)
    good = ok if isinstance(ok, str) else text(ok)
    detail = text(hit).where(hit.notna(), good)
    return outcome(subjects, hit.isna(), detail)


def replicaset_owner(rs: pd.DataFrame) -> pd.Series:
    """The Deployment a ReplicaSet belongs to (``namespace/name``): the ``owner`` column's
    Deployment, else its name without the ``-<pod-template-hash>`` suffix the Deployment
    controller appends."""
    hash_ = rs["labels_obj"].map(lambda d: str(_dict(d).get("pod-template-hash", "")))
    owner = text(rs["owner"] if "owner" in rs else pd.Series(None, index=rs.index))
    names = [o.partition("/")[2] if o.startswith("Deployment/")
             else (n[: -len(h) - 1] if h and n.endswith("-" + h) else n)
             for n, h, o in zip(text(rs["name"]), hash_, owner, strict=True)]
    return text(rs["namespace"]) + "/" + pd.Series(names, index=rs.index, dtype=object)
