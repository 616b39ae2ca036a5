"""DevOps checks DEV-K8S-*: what a Kubernetes rollout keeps for rolling back."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, fmt, is_system_namespace, k8s, replicaset_owner, text


@check(
    id="DEV-K8S-001",
    domain="devops",
    severity="medium",
    title="Deployments keep earlier revisions to roll back to",
    rationale="`kubectl rollout undo` and Flux/Argo rollbacks of a Deployment restore an "
    "earlier ReplicaSet. revisionHistoryLimit 0 (or 1) deletes them, so a failed release "
    "can only be fixed forward by a new build, under pressure.",
    remediation="Keep revisionHistoryLimit at 3-10 (Kubernetes default 10) on every "
    "application Deployment, and rehearse a rollback.",
    risk="A bad release cannot be undone quickly; the shop stays broken until a fix is built",
    applies_to="application Deployments",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/workloads/controllers/deployment/"
                "#rolling-back-a-deployment",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/"
                "#revision-history-limit"],
)
def deployment_revision_history(ctx: CheckContext):
    dep = k8s(ctx.ev, "Deployment", parsed=("annotations", "spec"))
    dep = dep[~is_system_namespace(dep["namespace"])].reset_index(drop=True)
    if dep.empty:
        return outcome([], [], [])
    limit = pd.to_numeric(dig(dep["spec_obj"], "revisionHistoryLimit", 10), errors="coerce")
    revision = pd.to_numeric(dig(dep["annotations_obj"], ["deployment.kubernetes.io/revision"]),
                             errors="coerce")
    rs = k8s(ctx.ev, "ReplicaSet", parsed=("labels",))  # not their pod templates
    owned = (text(rs["cluster"]) + "/" + replicaset_owner(rs)).value_counts()
    key = text(dep["cluster"]) + "/" + text(dep["namespace"]) + "/" + text(dep["name"])
    sets = key.map(owned).fillna(0).astype(int)
    seen = sets > 0  # its ReplicaSets were collected: the earlier ones can be counted
    detail = ("revisionHistoryLimit " + limit.map(fmt)
              + np.where(dig(dep["spec_obj"], "revisionHistoryLimit").isna(), " (default)", ""))
    detail = detail + np.where(seen, ", " + (sets - 1).clip(lower=0).astype(str)
                               + " earlier ReplicaSet(s) in the evidence", "")
    passed = (limit >= 2) & ~(seen & (revision > 1) & (sets < 2))
    detail = detail.where(passed, detail + ": nothing to roll back to")
    return outcome(dep["subject"], passed, detail)
