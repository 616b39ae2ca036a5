"""Kubernetes evidence: objects (``k8s``), platform namespaces, pod templates and
containers, image references (``image_parts``).

``k8s()`` cuts the rows of a set of kinds out of ``k8s_objects`` once per Evidence and
parses each JSON cell (labels, annotations, spec, status) once, the first time a reader
asks for it (``_json_cells``): a reader that selects rows by metadata first (``parsed=()``,
then ``with_json``) never parses the rows it leaves out, such as the pod templates of the
ReplicaSets and Pods that a controller owns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.core import dig, is_dict, parse_json, per_evidence, text

TABLE = "k8s_objects"
#: The JSON columns of ``k8s_objects``, in the order ``k8s()`` adds their parsed twins
#: (``labels_obj``...; {} for an empty cell).
JSON_COLUMNS = ("labels", "annotations", "spec", "status")
#: The metadata columns of ``k8s_objects`` that ``k8s()`` frames carry as they are; the JSON
#: text columns come parsed (``with_json``) or, for a text search, as text (``json_text``).
_TABLE_COLUMNS = ("cluster", "api_version", "kind", "namespace", "name", "owner",
                  "created_at")


def _kind_rows(ev: Evidence, kinds: tuple[str, ...]) -> np.ndarray:
    """Positions in ``k8s_objects`` of the objects of ``kinds`` (every object when none is
    given), in table order."""
    df = ev.table(TABLE)
    if not kinds:
        return np.arange(len(df))
    groups = ev.derived(("frames.k8s_kinds",), lambda: {
        k: np.asarray(v) for k, v in df.groupby(text(df["kind"]).to_numpy()).indices.items()})
    found = [groups[k] for k in dict.fromkeys(kinds) if k in groups]
    return np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.intp)


def _json_cells(ev: Evidence, column: str, rows: np.ndarray) -> np.ndarray:
    """The parsed ``column`` of the ``k8s_objects`` rows at ``rows``. Each cell is parsed
    once per Evidence, the first time a reader asks for it."""
    df = ev.table(TABLE)
    cells, done = ev.derived(("frames.k8s_json", column), lambda: (
        np.empty(len(df), dtype=object), np.zeros(len(df), dtype=bool)))
    todo = rows[~done[rows]]
    if len(todo):
        cells[todo] = parse_json(df[column].iloc[todo], {}).to_numpy()
        done[todo] = True
    return cells[rows]


def with_json(ev: Evidence, objs: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """``objs`` (rows of ``k8s()``, possibly filtered) with the parsed ``<column>_obj`` of
    each of ``columns`` it lacks; only its own rows are parsed. Columns keep the order of
    ``k8s()``: the table's, the parsed ones, ``subject``, ``k8s_row``, then any others."""
    missing = [c for c in columns if f"{c}_obj" not in objs.columns]
    if not missing:
        return objs
    out = objs.copy(deep=False)
    rows = out["k8s_row"].to_numpy(dtype=np.intp)
    for c in missing:
        out[f"{c}_obj"] = pd.Series(_json_cells(ev, c, rows), index=out.index, dtype=object)
    parsed = [f"{c}_obj" for c in JSON_COLUMNS if f"{c}_obj" in out.columns]
    table = [c for c in _TABLE_COLUMNS if c in out.columns]
    rest = [c for c in out.columns
            if c not in (*table, *parsed, "subject", "k8s_row")]
    return out[[*table, *parsed, "subject", "k8s_row", *rest]]


def json_text(ev: Evidence, objs: pd.DataFrame, column: str) -> pd.Series:
    """The JSON text of ``column`` (``labels``, ``spec``...) of the rows of ``objs``, for a
    text search across an object; NaN where empty."""
    cells = ev.table(TABLE)[column].iloc[objs["k8s_row"].to_numpy(dtype=np.intp)]
    return cells.set_axis(objs.index)


def k8s(ev: Evidence, *kinds: str, parsed: tuple[str, ...] = JSON_COLUMNS
        ) -> pd.DataFrame | None:
    """Kubernetes objects of the given kinds (every object when none is given), in table
    order: the metadata columns of ``k8s_objects`` (cluster, api_version, kind, namespace,
    name, owner, created_at), ``subject`` (``Kind/namespace/name``, ``-`` for
    cluster-scoped objects), ``k8s_row`` (the row in ``k8s_objects``) and the parsed JSON
    named in ``parsed`` (``labels_obj``, ``annotations_obj``, ``spec_obj``, ``status_obj``;
    all four by default). None if k8s_objects was not collected.

    The JSON text columns stay behind in the table (``json_text`` reads them): carried along,
    every filter of a frame would copy megabytes of pod templates."""
    df = ev.table(TABLE)
    if df is None:
        return None

    def build() -> pd.DataFrame:
        rows = _kind_rows(ev, kinds)
        out = df[list(_TABLE_COLUMNS)].iloc[rows].reset_index(drop=True)
        ns = out["namespace"].fillna("")
        out["subject"] = out["kind"] + "/" + ns.where(ns != "", "-") + "/" + out["name"]
        out["k8s_row"] = rows
        return out

    base = ev.derived(("frames.k8s", tuple(sorted(set(kinds)))), build)
    return with_json(ev, base, *parsed)


#: Namespaces that belong to Kubernetes, AKS add-ons and the platform tool chain (policy,
#: CNI, GitOps controllers, certificates, backup) rather than to the shop. Workload checks
#: and the capacity model leave them out; every ``kube-*`` namespace counts too.
PLATFORM_NAMESPACES = frozenset({
    "kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "calico-system",
    "calico-apiserver", "tigera-operator", "kube-flannel", "app-routing-system", "aks-command",
    "azure-arc", "azure-extensions-usage-system", "azure-workload-identity-system",
    "dataprotection-microsoft", "flux-system", "argocd", "cert-manager",
})

#: Where each workload kind keeps its pod spec ("" for a Pod: its own spec).
POD_SPEC_PATHS = {
    "Deployment": "template.spec", "StatefulSet": "template.spec", "DaemonSet": "template.spec",
    "ReplicaSet": "template.spec", "Job": "template.spec",
    "CronJob": "jobTemplate.spec.template.spec", "Pod": "",
}


def is_system_namespace(namespace: pd.Series) -> pd.Series:
    """True for platform namespaces (``PLATFORM_NAMESPACES``) and every ``kube-*`` one."""
    ns = text(namespace)
    return ns.isin(PLATFORM_NAMESPACES) | ns.str.startswith("kube-")


def pod_specs(objs: pd.DataFrame) -> pd.Series:
    """The pod spec of each row of ``k8s()``: its pod template, a CronJob's job template's,
    a Pod's own spec ({} for kinds without one)."""
    template = dig(objs["spec_obj"], "template.spec", {})
    cron = dig(objs["spec_obj"], "jobTemplate.spec.template.spec", {})
    return template.where(objs["kind"].ne("CronJob"), cron).where(
        objs["kind"].ne("Pod"), objs["spec_obj"])


def pod_containers(objs: pd.DataFrame, *, init: bool = False) -> pd.DataFrame:
    """One row per container of each workload row (``initContainers`` first when ``init``):
    the columns of ``objs`` plus ``pod`` (the pod spec; its own ``pod`` column when it has
    one) and ``container`` (its dict)."""
    pod = objs["pod"] if "pod" in objs else pod_specs(objs)
    listed = dig(pod, "containers", [])
    if init:
        listed = dig(pod, "initContainers", []) + listed
    out = objs.assign(pod=pod, container=listed).explode("container", ignore_index=True)
    return out[out["container"].map(is_dict).astype(bool)].reset_index(drop=True)


#: Labels the controllers put on the objects they create (a Deployment's ReplicaSets and
#: pods, a StatefulSet's / DaemonSet's pods, a Job's pods).
CONTROLLER_LABELS = {
    "ReplicaSet": ("pod-template-hash",),
    "Pod": ("pod-template-hash", "controller-revision-hash", "job-name",
            "batch.kubernetes.io/job-name"),
}


#: Kinds whose objects create the pods (or pod templates) of other workload objects.
CONTROLLER_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
                              "CronJob"})


def is_controlled(objs: pd.DataFrame) -> pd.Series:
    """True for rows of ``k8s()`` that a workload controller created and owns, so that they
    are judged once, at their controller: the ``owner`` column (the controlling
    ownerReference) names a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob;
    without it, the labels the controllers set (a Deployment's ReplicaSets and pods, a
    StatefulSet's / DaemonSet's / Job's pods) and a CronJob's Jobs by name
    (``<cronjob>-<schedule time>``). An object owned by something else (an operator's custom
    resource) stays a workload of its own."""
    kind = objs["kind"]
    owner_kind = text(objs["owner"] if "owner" in objs else pd.Series(None, index=objs.index))
    out = owner_kind.str.split("/").str[0].isin(CONTROLLER_KINDS)
    keys = objs["labels_obj"].map(lambda d: set(d) if isinstance(d, dict) else set())
    for k, labels in CONTROLLER_LABELS.items():
        out |= kind.eq(k) & keys.map(lambda have, want=labels: bool(have.intersection(want)))
    jobs = kind.eq("Job")
    if jobs.any():
        ns = text(objs["cluster"]) + "/" + text(objs["namespace"]) + "/"
        crons = set((ns + text(objs["name"]))[kind.eq("CronJob")])
        parent = ns + text(objs["name"]).str.replace(r"-\d+$", "", regex=True)
        out |= jobs & parent.isin(crons)
    return out


@per_evidence
def controller_pod_specs(ev: Evidence) -> pd.DataFrame | None:
    """Every object with a pod spec that no workload controller created (``is_controlled``),
    in every namespace, with its parsed JSON and its pod spec (``pod`` column): the one
    frame both the workload checks (``workload_pod_specs``) and the capacity model
    (``capacity.containers``) start from. None if k8s_objects was not collected."""
    objs = k8s(ev, *POD_SPEC_PATHS, parsed=("labels",))
    if objs is None:
        return None
    objs = with_json(ev, objs[~is_controlled(objs)].reset_index(drop=True), *JSON_COLUMNS)
    return objs.assign(pod=pod_specs(objs))


@per_evidence
def workload_pod_specs(ev: Evidence) -> pd.DataFrame | None:
    """Application workloads (every kind with a pod spec, outside platform namespaces, not
    created by another controller: ``is_controlled``) with their pod spec (``pod``
    column); None if k8s_objects was not collected."""
    wl = controller_pod_specs(ev)
    if wl is None:
        return None
    return wl[~is_system_namespace(wl["namespace"])].reset_index(drop=True)


@per_evidence
def workload_containers(ev: Evidence) -> pd.DataFrame | None:
    """One row per (init)container of each application workload (``workload_pod_specs``),
    with ``container``, ``container_name``, ``image``, its parts (``image_parts``:
    ``registry``, ``repository``, ``tag``, ``tag_implicit``, ``digest``) and the pod-level
    ``pod`` spec."""
    wl = workload_pod_specs(ev)
    if wl is None:
        return None
    out = pod_containers(wl, init=True)
    out["container_name"] = text(dig(out["container"], "name", ""))
    out["image"] = text(dig(out["container"], "image", ""))
    parts = image_parts(out["image"])
    for col in parts.columns:
        out[col] = parts[col].to_numpy()
    return out


def image_parts(image: pd.Series) -> pd.DataFrame:
    """Split image references into registry, repository, tag and digest (vectorised).

    ``busybox`` is ``docker.io/library/busybox:latest``: no registry means Docker Hub and no
    tag means ``latest``, exactly as the container runtime resolves it.
    """
    img = text(image).str.strip()
    ref = text(img.str.split("@", n=1).str[0])
    digest = text(img.str.split("@", n=1).str[1])
    first = ref.str.split("/").str[0]
    has_registry = ref.str.contains("/", regex=False) & (
        first.str.contains(r"[.:]", regex=True) | first.eq("localhost"))
    registry = first.where(has_registry, "docker.io")
    path = ref.where(~has_registry, text(ref.str.split("/", n=1).str[1]))
    last = text(path.str.split("/").str[-1])
    tag = text(last.str.split(":", n=1).str[1])
    repository = path.str.rsplit(":", n=1).str[0].where(tag.ne(""), path)
    implicit = tag.eq("") & digest.eq("")
    return pd.DataFrame({
        "registry": registry.str.lower(),
        "repository": repository,
        "tag": tag.where(~implicit, "latest"),
        "tag_implicit": implicit,
        "digest": digest,
    })
