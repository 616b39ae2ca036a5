"""DevOps checks DEV-IMG-*: image provenance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.devops._shared import _control, environment_kind
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    container_controls,
    joined_by,
    pod_controls,
    text,
    workload_containers,
    workload_outcome,
)

#: Tags that move: a deploy that names them is not reproducible.
FLOATING_TAGS = frozenset({"", "latest", "stable", "main", "master", "dev", "develop",
                           "edge", "nightly", "head", "current"})


@check(
    id="DEV-IMG-003",
    domain="devops",
    severity="low",
    title="Pipelines promote images by digest",
    rationale="A tag can be re-pushed; the digest identifies exactly the bytes that were "
    "built, scanned and tested. Promoting by digest makes staging and production run the "
    "same image and makes a rollback exact.",
    remediation="Have the build output the image digest and write image@sha256:... into the "
    "environment overlays (Flux image automation or a kustomize edit step).",
    risk="What was tested in staging may not be byte-for-byte what runs in production",
    applies_to="pipelines that build or deploy images",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/container-registry/container-registry-image-tag-version",
    ],
)
def pipelines_pin_digest(ctx: CheckContext):
    return _control(ctx, "builds_or_deploys", "pins_digest", "images are referenced by digest",
                    "images are referenced by tag only")


@check(
    id="DEV-IMG-001",
    domain="devops",
    severity="high",
    title="Production releases pin images by digest or an immutable tag",
    rationale="A floating tag such as latest changes meaning with every push: a node "
    "restart can silently pull a different version, and a rollback target is ambiguous. "
    "ACR guidance is unique (immutable) tags or digests for deployments.",
    remediation="Deploy image@sha256:<digest> or a unique build tag (e.g. 17.0-20261102), "
    "and lock production tags in ACR (`az acr repository update --write-enabled false`).",
    risk="Production could run a different, untested version after a routine restart",
    applies_to="production releases",
    requires=["gitops_releases"],
    references=[
        "https://learn.microsoft.com/azure/container-registry/container-registry-image-tag-version",
        "https://learn.microsoft.com/azure/container-registry/container-registry-image-lock",
    ],
)
def production_images_pinned(ctx: CheckContext):
    rel = ctx.ev.table("gitops_releases")
    prod = rel[environment_kind(rel["environment"]).eq("production")]
    tag, digest = text(prod["tag"]).str.strip(), text(prod["digest"]).str.strip()
    image, chart = text(prod["image"]), text(prod["chart_version"])
    has_digest = digest.ne("")
    floating = tag.str.lower().isin(FLOATING_TAGS)
    chart_only = image.eq("") & tag.eq("") & ~has_digest & chart.ne("")
    detail = ("pinned by digest " + digest.str.slice(0, 19)).where(
        has_digest, ("floating tag '" + tag.where(tag.ne(""), "latest (implicit)") + "' on "
                     + image).where(floating, "immutable tag " + tag + " on " + image))
    detail = detail.where(~chart_only, "Helm chart " + chart + " pins the image version")
    assessed = has_digest | tag.ne("") | image.ne("") | chart_only
    return outcome("release:" + text(prod["repo"]) + "/" + text(prod["environment"]) + "/"
                   + text(prod["component"]), has_digest | ~floating | chart_only, detail,
                   assessed=assessed)


@check(
    id="DEV-IMG-002",
    domain="devops",
    severity="medium",
    title="Running workloads do not use the latest tag or untagged images",
    rationale="`latest` (or no tag, which means latest) is resolved at every pull: replicas "
    "of one Deployment can run different code, and nothing records which version ran. "
    "Kubernetes configuration best practice is to avoid latest in production.",
    remediation="Reference a unique tag or digest in every workload; remove ad-hoc debug "
    "deployments and use `kubectl debug` when needed.",
    risk="Nobody can say which version of a component is running, or reproduce it",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[
        "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
        "https://learn.microsoft.com/azure/container-registry/container-registry-image-tag-version",
    ],
)
def workloads_avoid_latest(ctx: CheckContext):
    c = workload_containers(ctx.ev)
    floating = c["digest"].eq("") & c["tag"].str.lower().isin(FLOATING_TAGS)
    bad = c[floating].assign(what=c["image"][floating] + c["tag_implicit"][floating].map(
        {True: " (no tag: latest)", False: ""}))
    found = joined_by(bad["subject"], bad["what"])
    images = joined_by(c["subject"], c["image"])
    subjects = pd.Series(sorted(images), dtype=object)
    hit = subjects.map(found)
    detail = ("floating image reference: " + text(hit)).where(
        hit.notna(), "pinned images: " + text(subjects.map(images)))
    return outcome(subjects, hit.isna(), detail)


@check(
    id="DEV-IMG-004",
    domain="devops",
    severity="low",
    title="Application containers reference their image by digest",
    rationale="A tag, even a versioned one, can be pushed again: two nodes can run different "
    "code under the same name and a rollback may not bring back what ran before. A digest "
    "(image@sha256:...) names exactly one image, which is what was tested and scanned "
    "(Kubernetes images documentation, AKS image management best practices).",
    remediation="Let the pipeline write image@sha256:<digest> into the manifests (Flux "
    "image automation or kustomize images digest), keeping the tag for people: "
    "repo:17.0-20261102@sha256:...",
    risk="What runs in production may differ from what was tested, with no way to tell",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/containers/images/#image-names",
                "https://learn.microsoft.com/azure/aks/operator-best-practices-container-"
                "image-management"],
)
def images_by_digest(ctx: CheckContext):
    p = pod_controls(ctx.ev)
    c = container_controls(ctx.ev)
    bad = c["digest"].eq("")
    return workload_outcome(p["subject"], c, bad, c["image"] + " (tag " + c["tag"]
                            + ", no digest)", "every image pinned by digest")


@check(
    id="DEV-IMG-005",
    domain="devops",
    severity="low",
    title="Image pull policy fits the reference: Always for a tag, IfNotPresent for a digest",
    rationale="With a tag and IfNotPresent each node keeps whatever image it pulled first "
    "under that tag, so pods of one Deployment can run different builds; with a digest the "
    "image cannot change, so IfNotPresent is right and Always only adds a registry "
    "round-trip (and a registry outage) to every pod start. The API server defaults to "
    "Always only for :latest.",
    remediation="Pin images by digest and use imagePullPolicy: IfNotPresent; where a tag "
    "must stay, set imagePullPolicy: Always.",
    risk="Pods of one service may run different code, or cannot start while the registry "
    "is unreachable",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",
                "https://polaris.docs.fairwinds.com/checks/reliability/"],
)
def pull_policy_fits_reference(ctx: CheckContext):
    p = pod_controls(ctx.ev)
    c = container_controls(ctx.ev)
    digest = c["digest"].ne("")
    policy = c["pull_policy_effective"]
    set_by = np.where(c["pull_policy"].isna(), " (API server default)", "")
    good = np.where(digest, policy.eq("IfNotPresent"), policy.eq("Always"))
    good = pd.Series(good, index=c.index, dtype=bool)
    what = (c["container"] + ": " + policy + set_by + " for "
            + pd.Series(np.where(digest, "a digest", "mutable tag " + c["tag"]),
                        index=c.index))
    return workload_outcome(p["subject"], c, ~good, what,
                            "pull policies fit their image references")


