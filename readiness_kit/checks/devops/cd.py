"""DevOps checks DEV-CD-*: continuous delivery."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.devops._shared import _control
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import join_sorted, k8s, text, with_json

#: Flux and Argo CD API groups whose objects show GitOps reconciliation in a cluster.
GITOPS_API_GROUPS = ("fluxcd.io", "argoproj.io")
GITOPS_KINDS = frozenset({"Kustomization", "HelmRelease", "GitRepository", "OCIRepository",
                          "HelmRepository", "Bucket", "Application", "ApplicationSet"})


@check(
    id="DEV-CD-001",
    domain="devops",
    severity="high",
    title="Production deployments require an approval",
    rationale="A required reviewer on the production environment (GitHub environment "
    "protection rules, Azure Pipelines approvals and checks) separates who writes a change "
    "from who releases it, and stops accidental deploys during trading peaks.",
    remediation="Protect the production environment with required reviewers from the "
    "release owners (and a wait timer or business-hours check for peak periods).",
    risk="Any merged change can go live at any time without a second pair of eyes",
    applies_to="pipelines that deploy to production",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/devops/pipelines/process/approvals",
        "https://docs.github.com/actions/deployment/targeting-different-environments/"
        "using-environments-for-deployment",
    ],
)
def production_requires_approval(ctx: CheckContext):
    return _control(ctx, "deploys_production", "requires_approval",
                    "production deployment waits for an approval",
                    "deploys to production without an approval gate")


@check(
    id="DEV-CD-002",
    domain="devops",
    severity="medium",
    title="GitOps reconciles the cluster from Git (Flux or Argo CD)",
    rationale="With GitOps the desired state lives in Git and a controller in the cluster "
    "reconciles it, so every change is reviewed, versioned and revertible, and drift made "
    "by hand is undone. Microsoft's AKS GitOps guidance uses Flux v2 (or Argo CD).",
    remediation="Install Flux (the AKS microsoft.flux extension) or Argo CD and point a "
    "Kustomization / Application at the environment overlay in the GitOps repository.",
    risk="Nobody can tell with certainty what is deployed, and manual changes go unnoticed",
    applies_to="Kubernetes clusters",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-gitops-flux2",
        "https://learn.microsoft.com/azure/architecture/example-scenario/gitops-aks/"
        "gitops-blueprint-aks",
    ],
)
def gitops_in_place(ctx: CheckContext):
    objs = k8s(ctx.ev, parsed=())
    objs = objs.assign(k=text(objs["cluster"], "cluster"))
    api = text(objs["api_version"]).str.lower()
    groups = "|".join(g.replace(".", r"\.") for g in GITOPS_API_GROUPS)
    gitops = with_json(ctx.ev, objs[objs["kind"].isin(GITOPS_KINDS)
                                    & api.str.contains(groups, regex=True)], "status")
    ready = gitops["status_obj"].map(_ready_status)
    gitops = gitops.assign(what=gitops["kind"] + " " + gitops["name"],
                           not_ready=ready.eq("False"))
    found = gitops.groupby("k")["what"].agg(join_sorted)
    failing = gitops[gitops["not_ready"]].groupby("k")["name"].agg(join_sorted)
    clusters = pd.Series(sorted(objs["k"].unique()), dtype=object)
    hit, stuck = clusters.map(found), clusters.map(failing)
    detail = ("GitOps objects: " + text(hit)).where(
        hit.notna(), "no Flux or Argo CD objects in the cluster") + (
        "; not Ready: " + text(stuck)).where(stuck.notna(), "")
    return outcome("cluster:" + clusters, hit.notna(), detail)


def _ready_status(status: object) -> str | None:
    """The status of a Flux object's Ready condition ("True" / "False"), if reported."""
    conditions = status.get("conditions") if isinstance(status, dict) else None
    return next((str(c.get("status")) for c in conditions or []
                 if isinstance(c, dict) and c.get("type") == "Ready"), None)
