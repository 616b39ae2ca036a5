"""DevOps checks DEV-IMG-*: image provenance."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.devops._shared import _control, environment_kind
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import image_parts, join_sorted, text, workload_containers

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
    parts = image_parts(c["image"])
    floating = parts["digest"].eq("") & parts["tag"].str.lower().isin(FLOATING_TAGS)
    bad = c[floating].assign(what=c["image"][floating] + parts["tag_implicit"][floating].map(
        {True: " (no tag: latest)", False: ""}))
    found = bad.groupby("subject")["what"].agg(join_sorted)
    images = c.groupby("subject")["image"].agg(join_sorted)
    subjects = pd.Series(images.index, dtype=object)
    hit = subjects.map(found)
    detail = ("floating image reference: " + text(hit)).where(
        hit.notna(), "pinned images: " + text(subjects.map(images)))
    return outcome(subjects, hit.isna(), detail)
