"""Security checks SEC-K8S-*: Kubernetes workloads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    container_controls,
    dig,
    joined_by,
    k8s,
    kind_gap,
    pod_controls,
    resources,
    text,
    truthy,
    workload_containers,
    workload_outcome,
    workload_pod_specs,
)
from readiness_kit.waivers import annotation_waivers

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
    registry = c["registry"]
    trusted = registry.eq("mcr.microsoft.com") | (
        registry.isin(login) if login else registry.str.endswith(".azurecr.io"))
    bad = c[~trusted].assign(what=c["image"][~trusted] + " (" + registry[~trusted] + ")")
    found = joined_by(bad["subject"], bad["what"])
    ok = joined_by(c["subject"], c["image"])
    hit = wl["subject"].map(found)
    basis = ("your registries " + ", ".join(sorted(login))) if login else (
        "an Azure Container Registry")
    detail = ("untrusted registry: " + text(hit)).where(
        hit.notna(), "images from " + basis + " or MCR: " + text(wl["subject"].map(ok)))
    return outcome(wl["subject"], hit.isna(), detail)


# --- pod security context, host access, secrets and tokens --------------------------------

PSS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
NSA_CISA = ("https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/"
            "CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF")
POLARIS_SECURITY = "https://polaris.docs.fairwinds.com/checks/security/"
KUBE_SCORE = "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md"
AKS_POD_SECURITY = "https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security"
SECURITY_CONTEXT = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
#: The one capability the restricted Pod Security Standard lets a container add.
ALLOWED_CAPABILITY_ADDS = frozenset({"NET_BIND_SERVICE"})


def _containers_check(ctx: CheckContext, bad_of, what_of, ok: str) -> pd.DataFrame:
    """A per-workload outcome over ``container_controls``: ``bad_of(c)`` marks containers
    that fail, ``what_of(c)`` says why (prefixed with the container name)."""
    wl = pod_controls(ctx.ev)
    c = container_controls(ctx.ev)
    bad = bad_of(c)
    what = ("container " + c["container"] + ": " + what_of(c)).where(bad, "")
    return workload_outcome(wl["subject"], c, bad, what, ok)


@check(
    id="SEC-K8S-003",
    domain="security",
    severity="medium",
    title="Containers forbid privilege escalation (allowPrivilegeEscalation: false)",
    rationale="allowPrivilegeEscalation defaults to true: a process can gain more privileges "
    "than its parent through setuid binaries or file capabilities. The restricted Pod "
    "Security Standard and the NSA/CISA hardening guide require it to be false.",
    remediation="Set securityContext.allowPrivilegeEscalation: false on every container "
    "(and init container) of the pod template.",
    risk="A flaw in the shop's software could be turned into control of the container and "
    "a step towards the node",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[PSS, NSA_CISA, POLARIS_SECURITY, SECURITY_CONTEXT],
)
def no_privilege_escalation(ctx: CheckContext):
    return _containers_check(
        ctx, lambda c: c["allow_escalation"].ne(False) | c["privileged"],
        lambda c: pd.Series("allowPrivilegeEscalation is true", index=c.index).where(
            c["allow_escalation"].eq(True) | c["privileged"],
            "allowPrivilegeEscalation not set (Kubernetes defaults it to true)"),
        "every container sets allowPrivilegeEscalation: false")


@check(
    id="SEC-K8S-004",
    domain="security",
    severity="low",
    title="Containers run with a read-only root filesystem",
    rationale="A writable root filesystem lets an intruder drop tools or change the "
    "application's code in the running container. Odoo writes only to its data directory "
    "(filestore, sessions) and /tmp, which can be volumes; Polaris and kube-score flag a "
    "writable root filesystem, the NSA/CISA guide recommends read-only.",
    remediation="Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir at "
    "/tmp (and the data directory from the filestore volume).",
    risk="An intruder could change the running shop's code without leaving a trace in the "
    "image",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[NSA_CISA, POLARIS_SECURITY, KUBE_SCORE],
)
def read_only_root_filesystem(ctx: CheckContext):
    return _containers_check(
        ctx, lambda c: c["read_only_root"].ne(True),
        lambda c: pd.Series("readOnlyRootFilesystem is false", index=c.index).where(
            c["read_only_root"].eq(False), "readOnlyRootFilesystem not set (writable)"),
        "every container has a read-only root filesystem")


@check(
    id="SEC-K8S-005",
    domain="security",
    severity="medium",
    title="Containers drop all Linux capabilities and add none beyond NET_BIND_SERVICE",
    rationale="Containers start with a default set of Linux capabilities (NET_RAW, CHOWN, "
    "SETUID ...) that an intruder can use; SYS_ADMIN or NET_ADMIN are close to root on the "
    "node. The restricted Pod Security Standard requires drop: [ALL] and allows adding only "
    "NET_BIND_SERVICE.",
    remediation="Set securityContext.capabilities.drop: [ALL] on every container and remove "
    "added capabilities (keep NET_BIND_SERVICE only where a port below 1024 is needed).",
    risk="An intruder in one container gets kernel powers that help take over the node",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[PSS, NSA_CISA, POLARIS_SECURITY],
)
def capabilities_dropped(ctx: CheckContext):
    def extra(c: pd.DataFrame) -> pd.Series:
        return c["caps_add"].map(lambda a: sorted(set(a) - ALLOWED_CAPABILITY_ADDS))

    def bad(c: pd.DataFrame) -> pd.Series:
        return ~c["caps_drop"].map(lambda d: "ALL" in d).astype(bool) | extra(c).map(bool)

    def what(c: pd.DataFrame) -> pd.Series:
        drop = np.where(c["caps_drop"].map(lambda d: "ALL" in d).astype(bool), "",
                        "does not drop ALL capabilities")
        add = extra(c).map(lambda a: ("adds " + ", ".join(a)) if a else "")
        return (pd.Series(drop, index=c.index) + ", " + add).str.strip(", ")

    return _containers_check(ctx, bad, what, "every container drops ALL capabilities")


@check(
    id="SEC-K8S-006",
    domain="security",
    severity="low",
    title="Pods use the RuntimeDefault (or a Localhost) seccomp profile",
    rationale="Without a seccomp profile a container may call every Linux system call, "
    "including the rarely used ones most kernel exploits rely on. The restricted Pod "
    "Security Standard requires RuntimeDefault or Localhost; AKS does not set one unless "
    "asked.",
    remediation="Set securityContext.seccompProfile.type: RuntimeDefault in the pod spec "
    "(or per container).",
    risk="A kernel flaw could be reached from a compromised shop container",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[PSS, "https://kubernetes.io/docs/tutorials/security/seccomp/",
                "https://learn.microsoft.com/azure/aks/secure-container-access"],
)
def seccomp_profile(ctx: CheckContext):
    return _containers_check(
        ctx, lambda c: ~text(c["seccomp"]).isin(["RuntimeDefault", "Localhost"]),
        lambda c: ("seccomp profile " + text(c["seccomp"])).where(
            c["seccomp"].notna(), "no seccomp profile (Unconfined)"),
        "seccomp RuntimeDefault/Localhost on every container")


@check(
    id="SEC-K8S-007",
    domain="security",
    severity="medium",
    title="Containers are required to run as a non-root user",
    rationale="Unless runAsNonRoot: true (or a non-zero runAsUser) is set, a container runs "
    "as whatever user its image names, often root. The restricted Pod Security Standard "
    "requires runAsNonRoot; the official Odoo image runs as the odoo user, so nothing is "
    "lost by enforcing it.",
    remediation="Set securityContext.runAsNonRoot: true (pod or container) and a non-zero "
    "runAsUser, and rebuild images that need root.",
    risk="A break-out from a container that runs as root lands as root on the node",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[PSS, POLARIS_SECURITY, KUBE_SCORE, AKS_POD_SECURITY],
)
def runs_as_non_root(ctx: CheckContext):
    def bad(c: pd.DataFrame) -> pd.Series:
        uid = pd.to_numeric(c["run_as_user"], errors="coerce")
        return ~(c["run_as_non_root"].eq(True) & ~uid.eq(0)) & ~(uid > 0)

    def what(c: pd.DataFrame) -> pd.Series:
        uid = pd.to_numeric(c["run_as_user"], errors="coerce")
        return pd.Series("runs as UID 0", index=c.index).where(
            uid.eq(0), "neither runAsNonRoot: true nor a non-zero runAsUser (the image's "
            "user applies, often root)")

    return _containers_check(ctx, bad, what, "every container must run as non-root")


@check(
    id="SEC-K8S-008",
    domain="security",
    severity="high",
    title="No application pod shares the node's network, process or IPC namespace",
    rationale="hostNetwork lets a pod bind node ports and see all node traffic, hostPID lets "
    "it see and signal every process on the node, hostIPC its shared memory. The baseline "
    "Pod Security Standard forbids all three for workloads.",
    remediation="Remove hostNetwork, hostPID and hostIPC from the pod spec; expose ports "
    "through a Service instead.",
    risk="A compromised shop pod could spy on or disrupt everything else on its node",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[PSS, NSA_CISA, POLARIS_SECURITY],
)
def no_host_namespaces(ctx: CheckContext):
    p = pod_controls(ctx.ev)
    uses = (np.where(p["host_network"], "hostNetwork, ", "")
            + np.where(p["host_pid"], "hostPID, ", "")
            + np.where(p["host_ipc"], "hostIPC, ", ""))
    uses = pd.Series(uses, index=p.index).str.rstrip(", ")
    detail = ("shares the node's " + uses).where(uses.ne(""), "no host namespaces")
    return outcome(p["subject"], uses.eq(""), detail)


@check(
    id="SEC-K8S-009",
    domain="security",
    severity="high",
    title="No application pod mounts a hostPath volume",
    rationale="A hostPath volume exposes the node's filesystem to the pod: the container "
    "runtime socket, kubelet credentials or other pods' data. The baseline Pod Security "
    "Standard forbids hostPath; the NSA/CISA guide calls it out as a common escape route.",
    remediation="Replace hostPath volumes by PersistentVolumeClaims, ConfigMaps, Secrets or "
    "emptyDir; for node agents, run them in a platform namespace under an exception.",
    risk="A compromised shop pod could read or change the node itself and the other "
    "workloads on it",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[PSS, NSA_CISA, "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"],
)
def no_host_path(ctx: CheckContext):
    p = pod_controls(ctx.ev)
    paths = p["host_paths"].map(lambda ps: ", ".join(ps))
    detail = ("mounts hostPath " + paths).where(paths.ne(""), "no hostPath volume")
    return outcome(p["subject"], paths.eq(""), detail)


@check(
    id="SEC-K8S-010",
    domain="security",
    severity="high",
    title="No container gets a password, token or key as a literal environment value",
    rationale="An env value written in the manifest is stored in clear text in the "
    "workload object, in Git, in `kubectl describe` output and in every backup of the "
    "cluster state, readable by anyone who may read Deployments. Kubernetes Secrets "
    "(secretKeyRef), the Key Vault CSI driver or workload identity keep the value out of "
    "the manifest.",
    remediation="Move the value to a Secret (synchronised from Key Vault by the Secrets "
    "Store CSI driver) and reference it with valueFrom.secretKeyRef; rotate the exposed "
    "credential.",
    risk="Database and admin passwords can be read by anyone with read access to the "
    "cluster or the repository",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
                "https://learn.microsoft.com/azure/aks/csi-secrets-store-driver", NSA_CISA],
)
def no_literal_secret_env(ctx: CheckContext):
    # The detail names the variables only; their values are never read into a finding.
    return _containers_check(
        ctx, lambda c: c["secret_env"].map(bool).astype(bool),
        lambda c: "literal value for " + c["secret_env"].map(", ".join),
        "secret-like variables come from Secrets (valueFrom), none is a literal value")


@check(
    id="SEC-K8S-011",
    domain="security",
    severity="low",
    title="Waiver annotations (readiness.kit/waive) name a known check, a reason, an owner "
    "and an expiry date",
    rationale="A waiver written on an object accepts a risk for that object. One that "
    "cannot be read is not applied, so the risk stays open while its authors believe it "
    "is accepted; it must be fixed, not silently ignored.",
    remediation="Write each entry as `CHECK-ID reason=... owner=... expires=YYYY-MM-DD`, "
    "entries separated by `;` (or one per readiness.kit/waive.<n> annotation), with a check "
    "id from `readiness checks`.",
    risk="A risk someone believes accepted is still open, and nobody is told",
    applies_to="Kubernetes objects with readiness.kit/waive annotations",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/overview/working-with-objects/"
                "annotations/"],
)
def waiver_annotations_readable(ctx: CheckContext):
    w = annotation_waivers(ctx.ev)
    bad = w[w["problem"].notna()].assign(
        what=lambda d: d["annotation"] + ": " + d["problem"])
    per = w.groupby("subject", sort=True).size().rename("n").reset_index()
    problems = bad.groupby("subject")["what"].agg("; ".join)
    hit = per["subject"].map(problems)
    detail = text(hit).where(hit.notna(), per["n"].astype(str) + " waiver entr"
                             + np.where(per["n"].eq(1), "y", "ies") + " well-formed")
    return outcome(per["subject"], hit.isna(), detail)


@check(
    id="SEC-K8S-012",
    domain="security",
    severity="medium",
    title="Pods do not mount a Kubernetes API token they do not need",
    rationale="By default every pod gets its service account's API token mounted; an "
    "intruder in the pod can then call the API server with it. Odoo never talks to the "
    "Kubernetes API (workload identity for Azure uses its own projected token), so the "
    "NSA/CISA guide's advice applies: automountServiceAccountToken: false on the pod or "
    "its service account.",
    remediation="Set automountServiceAccountToken: false on the ServiceAccount (and on the "
    "pod spec), and give the workloads that do need the API their own service account "
    "with a minimal Role.",
    risk="An intruder in a shop pod gets credentials to the cluster's control plane",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/tasks/configure-pod-container/"
                "configure-service-account/", NSA_CISA, POLARIS_SECURITY],
)
def service_account_token_automount(ctx: CheckContext):
    p = pod_controls(ctx.ev)
    sa = k8s(ctx.ev, "ServiceAccount")
    sa_setting = pd.Series(
        dig(sa["spec_obj"], "automountServiceAccountToken", None).tolist(),
        index=text(sa["cluster"]) + "/" + text(sa["namespace"]) + "/" + sa["name"],
        dtype=object)
    sa_setting = sa_setting[~sa_setting.index.duplicated()]
    key = text(p["cluster"]) + "/" + text(p["namespace"]) + "/" + p["service_account"]
    listed = key.isin(sa_setting.index)
    from_sa = key.map(sa_setting)
    pod_off, pod_on = p["automount"].eq(False), p["automount"].eq(True)
    sa_off = from_sa.eq(False)
    passed = pod_off | (~pod_on & sa_off)
    # An unlisted "default" account exists in every namespace with automount on.
    assessed = pod_off | pod_on | listed | p["service_account"].eq("default")
    account = "service account " + p["service_account"]
    detail = pd.Series(
        np.select([pod_off, pod_on, sa_off, listed | p["service_account"].eq("default")],
                  ["the pod sets automountServiceAccountToken: false",
                   "the pod sets automountServiceAccountToken: true",
                   "its " + account + " sets automountServiceAccountToken: false",
                   "the API token is mounted: neither the pod nor its " + account
                   + " turns automountServiceAccountToken off"],
                  account + " not in the evidence: cannot tell whether its token is "
                  "mounted"), index=p.index)
    gap = kind_gap(ctx.ev, "ServiceAccount")
    if gap:
        detail = detail.where(assessed, detail + f" ({gap})")
    return outcome(p["subject"], passed, detail, assessed)
