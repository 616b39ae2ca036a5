"""Security checks SEC-K8S-*: Kubernetes workloads."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    dig,
    image_parts,
    join_sorted,
    resources,
    text,
    truthy,
    workload_containers,
    workload_pod_specs,
)

ACR = "microsoft.containerregistry/registries"


@check(
    id="SEC-K8S-001",
    domain="security",
    severity="high",
    title="No application container runs privileged or as root (UID 0)",
    rationale="A privileged container has full access to the node and escapes to the host "
    "trivially; UID 0 makes any container breakout worse. The Kubernetes Pod Security "
    "Standards (baseline forbids privileged, restricted requires non-root) and AKS pod "
    "security best practices both rule this out.",
    remediation="Remove `privileged: true` and `runAsUser: 0`; set runAsNonRoot: true, "
    "allowPrivilegeEscalation: false and drop capabilities; use `kubectl debug` with an "
    "ephemeral container instead of a standing debug pod.",
    risk="A single compromised container can take over the node and everything running on it",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    ],
)
def no_privileged_or_root(ctx: CheckContext):
    wl = workload_pod_specs(ctx.ev)
    c = workload_containers(ctx.ev)
    privileged = truthy(dig(c["container"], "securityContext.privileged", False))
    uid = dig(c["container"], "securityContext.runAsUser", None)
    uid = uid.where(uid.notna(), dig(c["pod"], "securityContext.runAsUser", None))
    root = pd.to_numeric(uid, errors="coerce").eq(0)
    issue = (privileged.map({True: "privileged", False: ""}) + ", "
             + root.map({True: "runs as UID 0", False: ""})).str.strip(", ")
    bad = c[privileged | root].assign(
        what="container " + c["container_name"][privileged | root] + ": "
        + issue[privileged | root])
    found = bad.groupby("subject")["what"].agg("; ".join)
    hit = wl["subject"].map(found)
    detail = text(hit).where(hit.notna(), "no privileged container, none set to run as UID 0")
    return outcome(wl["subject"], hit.isna(), detail)


@check(
    id="SEC-K8S-002",
    domain="security",
    severity="medium",
    title="Application images come from trusted registries",
    rationale="Images pulled straight from public registries can change under the same tag, "
    "disappear, hit Docker Hub rate limits or carry malware. AKS image management best "
    "practice is to import them into your own Azure Container Registry, scan them there and "
    "allow only that registry (Azure Policy 'allowed images').",
    remediation="Import the images into the Azure Container Registry (`az acr import`), "
    "reference them from there, and enforce the 'Kubernetes cluster containers should only "
    "use allowed images' policy in Deny mode.",
    risk="Production runs software the company does not control, which can change or be "
    "poisoned without notice",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management",
        "https://learn.microsoft.com/azure/container-registry/buffer-gate-public-content",
    ],
)
def images_from_trusted_registries(ctx: CheckContext):
    wl = workload_pod_specs(ctx.ev)
    c = workload_containers(ctx.ev)
    acr = resources(ctx.ev, ACR) if ctx.ev.has("azure_resources") else None
    login = set() if acr is None else set(
        text(dig(acr["props"], "loginServer", "")).str.lower()) - {""}
    registry = image_parts(c["image"])["registry"]
    trusted = registry.eq("mcr.microsoft.com") | (
        registry.isin(login) if login else registry.str.endswith(".azurecr.io"))
    bad = c[~trusted].assign(what=c["image"][~trusted] + " (" + registry[~trusted] + ")")
    found = bad.groupby("subject")["what"].agg(join_sorted)
    ok = c.groupby("subject")["image"].agg(join_sorted)
    hit = wl["subject"].map(found)
    basis = ("your registries " + ", ".join(sorted(login))) if login else (
        "an Azure Container Registry")
    detail = ("untrusted registry: " + text(hit)).where(
        hit.notna(), "images from " + basis + " or MCR: " + text(wl["subject"].map(ok)))
    return outcome(wl["subject"], hit.isna(), detail)
