"""Kubernetes workload figures: inventory per namespace, workloads x controls, zone spread of
the Odoo pods, rollout history and the GitOps promotion path.

Each function takes a ``Review`` and returns a ``go.Figure`` in the house style; when the
evidence it needs was not collected the figure says so. Figures stay bounded whatever the
size of the cluster: the controls matrix shows the ``top`` workloads with the most failing
controls and sums up the rest in one row.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from readiness_kit.capacity import odoo_workloads
from readiness_kit.charts.style import ACCENT, NEUTRAL, STATUS_COLOURS, figure, not_collected
from readiness_kit.frames import k8s, nodes, pod_controls, text
from readiness_kit.review import Review

#: Matrix column -> the checks whose findings on a workload decide the cell (worst wins).
CONTROLS = {
    "probes": ("RES-K8S-008", "RES-K8S-009"),
    "requests / limits": ("SCL-K8S-001", "SCL-K8S-002"),
    "PDB": ("RES-K8S-001",),
    "HPA": ("SCL-HPA-001",),
    "zone spread": ("RES-K8S-002", "RES-K8S-004"),
    "security context": ("SEC-K8S-001", "SEC-K8S-003", "SEC-K8S-004", "SEC-K8S-005",
                         "SEC-K8S-006", "SEC-K8S-007"),
}
_RANK = {"fail": 4, "error": 3, "waived": 2, "not_assessed": 1, "pass": 0}
_CELL = {"pass": 0, "not_assessed": 1, "waived": 2, "error": 3, "fail": 4, "n/a": 5}
ENVIRONMENT_ORDER = ("dev", "development", "test", "qa", "uat", "staging", "preprod",
                     "production", "prod")


def workload_inventory(review: Review) -> go.Figure:
    """Application workloads per namespace, stacked by kind."""
    fig = figure("Application workloads per namespace")
    pods = pod_controls(review.ev)
    if pods is None:
        return not_collected(fig, "Kubernetes objects not collected: no workload inventory")
    pods = pods[pods["kind"].ne("Pod") & pods["kind"].ne("ReplicaSet")]
    if pods.empty:
        return not_collected(fig, "No application workloads in the evidence")
    counts = pods.groupby(["namespace", "kind"]).size().unstack(fill_value=0)
    order = counts.sum(axis=1).sort_values().index.tolist()
    for kind in counts.columns:
        fig.add_bar(y=order, x=counts.loc[order, kind].tolist(), name=kind, orientation="h",
                    hovertemplate="%{y}: %{x} " + kind + "<extra></extra>")
    fig.update_layout(barmode="stack", height=max(260, 34 * len(order) + 160))
    fig.update_xaxes(title="workloads")
    return fig


def controls_matrix_frame(review: Review, top: int = 20) -> tuple[pd.DataFrame, pd.Series]:
    """(``top`` workloads x ``CONTROLS`` with the worst status per cell, "n/a" where no
    check judged the workload; status counts per control over the other workloads)."""
    f = review.findings
    wanted = {cid: col for col, ids in CONTROLS.items() for cid in ids}
    f = f[f["check_id"].isin(wanted) & f["subject"].astype(str).str.count("/").eq(2)]
    f = f.assign(control=f["check_id"].map(wanted), rank=f["status"].map(_RANK).fillna(1))
    worst = (f.sort_values("rank").drop_duplicates(["subject", "control"], keep="last")
             .pivot(index="subject", columns="control", values="status")
             .reindex(columns=list(CONTROLS)).fillna("n/a"))
    failing = worst.eq("fail").sum(axis=1).sort_values(ascending=False, kind="stable")
    shown = worst.loc[failing.index[:top]]
    rest = worst.loc[failing.index[top:]]
    rest_counts = rest.apply(lambda col: col.value_counts()).fillna(0).astype(int) \
        if not rest.empty else pd.DataFrame()
    order = sorted(rest_counts.index, key=lambda s: -_CELL.get(s, 0)) if not rest.empty else []
    summary = pd.Series({c: ", ".join(f"{int(rest_counts.at[s, c])} {s.replace('_', ' ')}"
                                      for s in order if rest_counts.at[s, c])
                         for c in rest_counts.columns}, dtype=object) if not rest.empty \
        else pd.Series(dtype=object)
    return shown, summary


def workload_controls(review: Review, top: int = 20) -> go.Figure:
    """Workloads x controls (probes, requests/limits, PDB, HPA, zone spread, security
    context): the ``top`` workloads with the most failing controls, the rest summed up."""
    fig = figure("Workload controls: the workloads with the most gaps")
    if review.ev.table("k8s_objects") is None:
        return not_collected(fig, "Kubernetes objects not collected: no workload controls")
    shown, rest = controls_matrix_frame(review, top)
    if shown.empty:
        return not_collected(fig, "No workload was judged on these controls")
    states = list(_CELL)
    colours = [STATUS_COLOURS.get(s, NEUTRAL) if s != "n/a" else "#f5f5f5" for s in states]
    n = len(states) - 1
    scale = [[i / n, c] for i, c in enumerate(colours)]
    labels = [s.split("/", 1)[1] for s in shown.index]
    fig.add_heatmap(
        z=shown.apply(lambda col: col.map(_CELL)).to_numpy().tolist(),
        x=list(shown.columns), y=labels, zmin=0, zmax=n, colorscale=scale, showscale=False,
        text=shown.to_numpy().tolist(), texttemplate="%{text}", xgap=2, ygap=2,
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>")
    if len(rest):
        fig.add_annotation(
            text="Other workloads: " + "; ".join(f"{c}: {v}" for c, v in rest.items() if v),
            xref="paper", yref="paper", x=0, y=-0.12, showarrow=False, align="left",
            font={"size": 11, "color": "#607d8b"})
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(300, 28 * len(shown) + 200), margin={"l": 280})
    return fig


def odoo_zone_spread(review: Review) -> go.Figure:
    """Running Odoo pods per availability zone against the nodes each zone has."""
    fig = figure("Odoo pods per availability zone, against the nodes in each zone")
    node = nodes(review.ev)
    pods = k8s(review.ev, "Pod")
    odoo = odoo_workloads(review.ev)
    if node is None or pods is None or odoo is None:
        return not_collected(fig, "Kubernetes objects not collected: no zone spread")
    if node.empty or pods.empty:
        return not_collected(fig, "Nodes or Pods not in the evidence: zone spread of the "
                                  "Odoo pods cannot be shown")
    owners = set(text(odoo["namespace"]) + "/" + text(odoo["name"]))
    rs_hash = pods["labels_obj"].map(lambda d: (d or {}).get("pod-template-hash", ""))
    owner = pods["name"].str.replace(r"-[a-z0-9]{5}$", "", regex=True)
    owner = owner.where(rs_hash.eq(""), owner.str.replace(
        r"-[a-z0-9]+$", "", regex=True))
    pods = pods[(text(pods["namespace"]) + "/" + owner).isin(owners)]
    node_of = pods["spec_obj"].map(lambda s: (s or {}).get("nodeName", ""))
    zone = node_of.map(dict(zip(node["name"], node["zone"], strict=True))).fillna("")
    zone = zone.where(zone.ne(""), "unknown zone")
    pod_counts = zone.value_counts()
    node_counts = node[node["mode"].ne("system")]["zone"].replace("", "unknown zone") \
        .value_counts()
    zones = sorted(set(pod_counts.index) | set(node_counts.index))
    fig.add_bar(x=zones, y=[int(node_counts.get(z, 0)) for z in zones], name="user nodes",
                marker_color=NEUTRAL)
    fig.add_bar(x=zones, y=[int(pod_counts.get(z, 0)) for z in zones], name="Odoo pods",
                marker_color=ACCENT)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="count", dtick=1)
    return fig


def rollout_history(review: Review, top: int = 10) -> go.Figure:
    """Revisions kept per Deployment (its ReplicaSets): which can be rolled back to."""
    fig = figure("Rollout history: revisions kept per Deployment")
    rs = k8s(review.ev, "ReplicaSet")
    if rs is None:
        return not_collected(fig, "Kubernetes objects not collected: no rollout history")
    if rs.empty:
        return not_collected(fig, "No ReplicaSets in the evidence: revisions cannot be shown")
    revision = pd.to_numeric(rs["annotations_obj"].map(
        lambda d: (d or {}).get("deployment.kubernetes.io/revision")), errors="coerce")
    hash_ = rs["labels_obj"].map(lambda d: (d or {}).get("pod-template-hash", ""))
    owner = [n[: -len(h) - 1] if h and n.endswith("-" + h) else n
             for n, h in zip(rs["name"], hash_, strict=True)]
    image = rs["spec_obj"].map(lambda s: ", ".join(
        c.get("image", "") for c in ((s or {}).get("template", {}).get("spec", {})
                                     .get("containers", []))))
    replicas = pd.to_numeric(rs["spec_obj"].map(lambda s: (s or {}).get("replicas", 0)),
                             errors="coerce").fillna(0)
    df = pd.DataFrame({"deployment": text(rs["namespace"]) + "/" + pd.Series(owner),
                       "revision": revision, "image": image, "replicas": replicas})
    df = df[df["revision"].notna()]
    keep = df.groupby("deployment")["revision"].count().sort_values(ascending=False) \
        .index[:top]
    df = df[df["deployment"].isin(keep)]
    live = df["replicas"] > 0
    for name, rows, colour in (("serving", df[live], ACCENT),
                               ("kept for rollback", df[~live], NEUTRAL)):
        if rows.empty:
            continue
        fig.add_scatter(x=rows["revision"].tolist(), y=rows["deployment"].tolist(),
                        mode="markers", name=name,
                        marker={"size": 14, "color": colour, "line": {"color": ACCENT,
                                                                      "width": 1}},
                        customdata=rows["image"].tolist(),
                        hovertemplate="%{y} revision %{x}: %{customdata}<extra></extra>")
    fig.update_xaxes(title="revision", dtick=1)
    fig.update_layout(height=max(260, 40 * len(keep) + 170), margin={"l": 260})
    return fig


def _env_rank(env: pd.Series) -> pd.Series:
    low = env.str.lower()
    rank = {e: i for i, e in enumerate(ENVIRONMENT_ORDER)}
    return low.map(lambda e: next((rank[k] for k in ENVIRONMENT_ORDER if k in e), 99))


def promotion_path(review: Review, top: int = 15) -> go.Figure:
    """What each environment of the GitOps repository deploys, in promotion order: the
    tag (or digest) per component; a cell is highlighted where it differs from the next
    environment up the path (what the next promotion would change)."""
    fig = figure("Promotion path of the GitOps repository: what each environment deploys")
    rel = review.ev.table("gitops_releases")
    if rel is None:
        return not_collected(fig, "GitOps repository not collected: no promotion path")
    if rel.empty:
        return not_collected(fig, "The GitOps repository declares no environment releases")
    rel = rel.assign(environment=text(rel["environment"]), component=text(rel["component"]))
    version = text(rel["tag"]).where(text(rel["tag"]).ne(""), "")
    digest = text(rel["digest"])
    rel["version"] = version.where(version.ne(""), digest.str[:19]).where(
        version.ne("") | digest.ne(""), "?")
    envs = (rel[["environment"]].drop_duplicates()
            .assign(rank=lambda d: _env_rank(d["environment"]))
            .sort_values(["rank", "environment"])["environment"].tolist())
    comps = sorted(rel["component"].unique())[:top]
    grid = rel.drop_duplicates(["environment", "component"]).pivot(
        index="component", columns="environment", values="version").reindex(
        index=comps, columns=envs)
    filled = grid.fillna("not deployed")
    differs = filled.ne(filled.shift(-1, axis=1))
    differs.iloc[:, -1] = False  # the last environment has none after it
    z = differs.astype(int).to_numpy().tolist()
    fig.add_heatmap(z=z, x=envs, y=comps, zmin=0, zmax=1, showscale=False,
                    colorscale=[[0, "#e8f5e9"], [1, "#fff3e0"]],
                    text=grid.fillna("not deployed").to_numpy().tolist(),
                    texttemplate="%{text}", xgap=3, ygap=3,
                    hovertemplate="%{y} in %{x}: %{text}<extra></extra>")
    fig.update_xaxes(title=" → ".join(envs), side="top")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(260, 40 * len(comps) + 180), margin={"l": 200})
    return fig
