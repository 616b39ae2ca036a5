"""Kubernetes collector: a live cluster (``live``) or a manifests folder (``files``).

``collect`` is the entry point ``readiness_kit.collect`` calls for ``sources.kubernetes``:
with ``manifests`` it reads the folder; otherwise it talks to the cluster of ``kubeconfig`` /
``context`` (kubectl's default kubeconfig when neither is given, the pod's service account
when running in a cluster). Both paths end in ``normalise.normalise_object``: the same
objects give the same ``k8s_objects`` rows and so the same findings.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from readiness_kit.collectors.kubernetes.files import manifest_files, problems_in, read_manifests
from readiness_kit.evidence import TABLES, Evidence, TableProvenance
from readiness_kit.params import KubernetesSource, LoadedParameters

SOURCE = "kubernetes"
TABLE = "k8s_objects"


def records_frame(records: list[dict]) -> pd.DataFrame:
    """``k8s_objects`` records as a frame in the table's column order."""
    columns = list(TABLES[TABLE].columns)
    return pd.DataFrame.from_records(records, columns=columns).astype(object)


def add_manifests(ev: Evidence, root: Path, cluster: str, *, query_root: str | None = None,
                  collected_at: str | None = None) -> int:
    """Read a manifests folder into ``ev`` (table + gaps); returns the number of objects."""
    read = read_manifests(root, cluster)
    for problem in read.problems:
        rel = problem.path.relative_to(root) if root.is_dir() else problem.path.name
        ev.add_gap(SOURCE, cluster, TABLE, f"manifest {rel} {problem.where()}", problem.problem)
    prov = TableProvenance(
        SOURCE, "readiness_kit.collectors.kubernetes.files",
        f"manifests folder {query_root or root.name}: {read.files} files, {read.documents} "
        f"documents, {len(read.records)} objects ({read.skipped} documents that are not "
        "cluster objects skipped; Secret and ConfigMap contents counted, never kept)")
    if collected_at:
        prov.collected_at = collected_at
    ev.add(TABLE, records_frame(read.records), prov)
    return len(read.records)


def add_live(ev: Evidence, cfg: KubernetesSource, loaded: LoadedParameters, progress, *,
             page_size: int | None = None) -> int:
    """Read the cluster of ``cfg`` into ``ev`` (table + gaps); returns the number of objects.
    An unreachable API server leaves the table out (not collected) with the gap named."""
    from readiness_kit.collectors.kubernetes.live import PAGE_SIZE, api_client, read_cluster

    page_size = page_size or PAGE_SIZE
    api, cluster, context = api_client(loaded.resolve(cfg.kubeconfig), cfg.context)
    cluster = cfg.cluster or cluster
    try:
        read = read_cluster(api, cluster, context, timeout=cfg.timeout_seconds,
                            page_size=page_size, progress=progress)
    finally:
        api.close()
    for what, reason in read.gaps:
        ev.add_gap(SOURCE, cluster, TABLE, what, reason)
    if not read.reachable:
        return 0
    ev.add(TABLE, records_frame(read.records), TableProvenance(
        SOURCE, "readiness_kit.collectors.kubernetes.live",
        f"context {context or 'in-cluster'}: GET " + ", ".join(read.paths)
        + f" (limit={page_size} with continue; Secrets and ConfigMaps as a metadata Table, "
        "their data never requested)"))
    return len(read.records)


def collect(cfg: KubernetesSource, loaded: LoadedParameters, ev: Evidence, progress) -> None:
    """Collector entry point (see ``readiness_kit.collect``)."""
    if cfg.manifests:
        root = loaded.resolve(cfg.manifests)
        if root is None or not root.exists():
            ev.add_gap(SOURCE, cfg.cluster or "-", TABLE, f"manifests folder {cfg.manifests}",
                       f"not found at {root}")
            return
        n = add_manifests(ev, root, cfg.cluster or root.name)
    else:
        n = add_live(ev, cfg, loaded, progress)
    progress(f"{SOURCE}: {n} objects")


def validate(cfg: KubernetesSource, loaded: LoadedParameters) -> list[str]:
    """Problems with ``sources.kubernetes`` found without contacting a cluster: a missing
    manifests folder or kubeconfig, an unknown context, every malformed manifest."""
    problems: list[str] = []
    if cfg.manifests:
        root = loaded.resolve(cfg.manifests)
        if cfg.kubeconfig or cfg.context:
            problems.append("sources.kubernetes: give either manifests or kubeconfig/context; "
                            "manifests are read and the cluster is not contacted")
        if root is None or not root.exists():
            return [*problems, f"sources.kubernetes.manifests: folder not found at {root}"]
        if not manifest_files(root):
            problems.append(f"sources.kubernetes.manifests: no .yaml/.yml/.json files in {root}")
        return problems + problems_in(root)
    kubeconfig = loaded.resolve(cfg.kubeconfig)
    if kubeconfig is not None and not kubeconfig.is_file():
        return [f"sources.kubernetes.kubeconfig: file not found at {kubeconfig}"]
    from kubernetes import config
    from kubernetes.config.config_exception import ConfigException

    if kubeconfig is not None or cfg.context:
        try:
            contexts, _ = config.list_kube_config_contexts(
                config_file=str(kubeconfig) if kubeconfig else None)
        except ConfigException as exc:
            return [f"sources.kubernetes.kubeconfig: {exc}"]
        names = {c["name"] for c in contexts}
        if cfg.context and cfg.context not in names:
            problems.append(f"sources.kubernetes.context: {cfg.context!r} is not in the "
                            f"kubeconfig (contexts: {', '.join(sorted(names)) or 'none'})")
    return problems
