"""DevOps checks: CI/CD, GitOps, approvals, rollback, image provenance, environment drift.

The pipeline checks read ``gitops_pipelines`` (one row per pipeline x target environment, as
the GitOps collector normalises GitHub Actions / Azure Pipelines definitions), the release
checks read ``gitops_releases`` (one row per environment overlay x component), GitOps
presence reads Flux / Argo CD objects from ``k8s_objects``.

``pipelines_summary`` and ``staging_vs_production`` are shared with
``readiness_kit.charts.devops``.
"""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    attestation_frame,
    attested_outcome,
    days_since,
    falsy,
    fmt,
    image_parts,
    join_sorted,
    k8s,
    per_evidence,
    text,
    truthy,
    workload_containers,
)

#: Pipeline controls (gitops_pipelines boolean columns) and their labels.
PIPELINE_CONTROLS = {
    "runs_tests": "runs tests",
    "builds_image": "builds image",
    "scans_image": "scans image",
    "signs_image": "signs image",
    "pins_digest": "pins digest",
    "requires_approval": "requires approval",
    "has_rollback": "has rollback",
}
#: Tags that move: a deploy that names them is not reproducible.
FLOATING_TAGS = frozenset({"", "latest", "stable", "main", "master", "dev", "develop",
                           "edge", "nightly", "head", "current"})
#: Flux and Argo CD API groups whose objects show GitOps reconciliation in a cluster.
GITOPS_API_GROUPS = ("fluxcd.io", "argoproj.io")
GITOPS_KINDS = frozenset({"Kustomization", "HelmRelease", "GitRepository", "OCIRepository",
                          "HelmRepository", "Bucket", "Application", "ApplicationSet"})
TRUE_TEXT = frozenset({"true", "yes", "y", "1", "tested", "passed"})


def environment_kind(environment: pd.Series) -> pd.Series:
    """``production`` | ``staging`` | ``other`` | ``""`` (no target) from an environment name."""
    env = text(environment).str.strip().str.lower()
    kind = pd.Series("other", index=environment.index, dtype=object)
    kind = kind.mask(env.str.match(r"^(stag|stg|pre-?prod|uat|acc|qa|test)"), "staging")
    kind = kind.mask(env.str.match(r"^(prod|prd|live)"), "production")
    return kind.mask(env.eq(""), "")


@per_evidence
def pipelines_summary(ev) -> pd.DataFrame | None:
    """One row per pipeline (repo, path): controls any()'d over its environments.

    Columns: subject (``pipeline:<repo>/<path>``), repo, path, name, environments,
    deploys_production, deploys, builds_or_deploys, plus one boolean-or-None column per
    ``PIPELINE_CONTROLS`` (None when no row of the pipeline says).
    """
    pl = ev.table("gitops_pipelines")
    if pl is None:
        return None
    pl = pl.assign(repo=text(pl["repo"]), path=text(pl["path"]),
                   env_kind=environment_kind(pl["environment"]),
                   deploys=text(pl["environment"]).ne("") | text(pl["deploy_method"]).ne(""))
    pl["deploys_production"] = pl["env_kind"].eq("production")
    flags = {}
    for col in PIPELINE_CONTROLS:
        known = pl[col].notna()
        flags[col] = truthy(pl[col]).where(known, None)
    pl = pl.assign(**{c: s.astype(object) for c, s in flags.items()})
    g = pl.groupby(["repo", "path"], sort=True)
    out = g.agg(
        name=("name", "first"),
        environments=("environment", lambda s: ", ".join(sorted({str(v) for v in s.dropna()
                                                                 if str(v)}))),
        deploys_production=("deploys_production", "any"),
        deploys=("deploys", "any"),
        deploy_method=("deploy_method", "first"),
        system=("system", "first"),
    )
    for col in PIPELINE_CONTROLS:
        known = g[col].count().gt(0)
        any_true = g[col].agg(lambda s: bool(s.dropna().astype(bool).any()))
        out[col] = any_true.astype(bool).astype(object).where(known, None)
    out["builds_or_deploys"] = out["builds_image"].eq(True) | out["deploys"]
    out = out.reset_index()
    out.insert(0, "subject", "pipeline:" + out["repo"] + "/" + out["path"])
    return out


def _yes_no(flag: pd.Series, yes: str, no: str, unknown: str) -> pd.Series:
    s = flag.astype(object)
    return s.map({True: yes, False: no}).where(s.notna(), unknown)


def _control(ctx: CheckContext, applies: str, control: str, yes: str, no: str):
    """Judge one boolean control on the pipelines where column ``applies`` is true; a
    pipeline whose definition does not say is not_assessed."""
    pl = pipelines_summary(ctx.ev)
    sel = pl[pl[applies].eq(True)]
    flag = sel[control]
    unknown = f"the pipeline definition does not record '{PIPELINE_CONTROLS[control]}'"
    return outcome(sel["subject"], flag.eq(True), _yes_no(flag, yes, no, unknown),
                   assessed=flag.notna())


@check(
    id="DEV-CI-001",
    domain="devops",
    severity="high",
    title="CI/CD pipelines build the application and deploy it to production",
    rationale="Repeatable deployment automation is a go-live gate: Azure Well-Architected "
    "(Operational Excellence) requires every change to reach production through a pipeline "
    "that builds, tests and deploys it the same way each time, not by hand.",
    remediation="Add a CI pipeline that builds the Odoo image on every change and a CD "
    "pipeline (or GitOps promotion) that deploys it to staging then production.",
    risk="Releases depend on manual steps that cannot be repeated reliably under pressure",
    applies_to="pipeline definitions",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "release-engineering-continuous-integration",
        "https://learn.microsoft.com/azure/architecture/guide/aks/"
        "aks-cicd-github-actions-and-gitops",
    ],
)
def cicd_present(ctx: CheckContext):
    pl = pipelines_summary(ctx.ev)
    if pl.empty:
        return outcome(["pipeline:*"], [False], ["the GitOps repository was collected but "
                                                   "holds no CI/CD pipeline definitions"])
    where = pl["path"].str.rsplit("/", n=1).str[-1] + " (" + pl["repo"] + ")"
    builds = ", ".join(where[pl["builds_image"].eq(True)])
    deploys = ", ".join(where[pl["deploys_production"]])
    detail = (f"image built by {builds}" if builds else
              "no pipeline builds the application image") + "; " + (
        f"deployed to production by {deploys}" if deploys else
        "no pipeline deploys to production")
    return outcome(["pipeline:*"], [bool(builds and deploys)], [detail])


@check(
    id="DEV-CI-002",
    domain="devops",
    severity="high",
    title="Image builds run the test suite before an image can be deployed",
    rationale="Automated tests in the build are the first quality gate of continuous "
    "integration: an image that was never tested should not be deployable (Azure "
    "Well-Architected OE:04, Odoo module tests with --test-enable).",
    remediation="Run the Odoo module tests (odoo --test-enable --stop-after-init on a "
    "throw-away database) and unit tests in the build job, and make the image push depend "
    "on them.",
    risk="Untested changes can reach the shop and break checkout",
    applies_to="pipelines that build images",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "release-engineering-continuous-integration",
        "https://www.odoo.com/documentation/17.0/developer/reference/backend/testing.html",
    ],
)
def builds_run_tests(ctx: CheckContext):
    return _control(ctx, "builds_image", "runs_tests", "tests run before the image is built",
                    "builds and publishes the image without running tests")


@check(
    id="DEV-CI-003",
    domain="devops",
    severity="high",
    title="Image builds scan the image for vulnerabilities",
    rationale="Base images and Python dependencies carry known CVEs; scanning in the "
    "pipeline (Trivy, Microsoft Defender for Containers, Grype) stops critical "
    "vulnerabilities before they ship, as AKS image management best practice recommends.",
    remediation="Add an image scan step (e.g. Trivy or Defender for Cloud CLI) after the "
    "build that fails on critical/high findings without an accepted exception.",
    risk="Known exploitable vulnerabilities can ship to production unnoticed",
    applies_to="pipelines that build images",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management",
        "https://learn.microsoft.com/azure/defender-for-cloud/"
        "agentless-vulnerability-assessment-azure",
    ],
)
def builds_scan_images(ctx: CheckContext):
    return _control(ctx, "builds_image", "scans_image", "the image is scanned in the pipeline",
                    "the image is published without a vulnerability scan")


@check(
    id="DEV-CI-004",
    domain="devops",
    severity="medium",
    title="Image builds sign the image or attest its provenance",
    rationale="A signature (Notation / Cosign) or build provenance attestation proves an "
    "image was produced by the trusted pipeline; with AKS Image Integrity or an admission "
    "policy, unsigned images can then be refused. This is the supply-chain control of SLSA "
    "and the Containers Secure Supply Chain framework.",
    remediation="Sign the image in the build (Notation with a Key Vault certificate, or "
    "Cosign / GitHub artifact attestations) and verify signatures at admission with AKS "
    "Image Integrity or Ratify.",
    risk="Nobody can prove that what runs in production is what the pipeline built",
    applies_to="pipelines that build images",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/container-registry/"
        "container-registry-tutorial-sign-build-push",
        "https://learn.microsoft.com/azure/aks/image-integrity",
    ],
)
def builds_sign_images(ctx: CheckContext):
    return _control(ctx, "builds_image", "signs_image", "the image is signed in the pipeline",
                    "the image is not signed and carries no provenance attestation")


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
    objs = k8s(ctx.ev)
    objs = objs.assign(k=text(objs["cluster"], "cluster"))
    api = text(objs["api_version"]).str.lower()
    groups = "|".join(g.replace(".", r"\.") for g in GITOPS_API_GROUPS)
    gitops = objs[objs["kind"].isin(GITOPS_KINDS) & api.str.contains(groups, regex=True)]
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


@check(
    id="DEV-REL-001",
    domain="devops",
    severity="high",
    title="Production deploy pipelines define a rollback path",
    rationale="A failed release must be undone in minutes, not debugged live. Azure "
    "Well-Architected safe deployment practice (OE:11) requires a defined, automated "
    "rollback (redeploy the previous version, revert the GitOps commit, or Helm rollback) "
    "alongside every production deployment.",
    remediation="Add a rollback job or workflow that redeploys the previous image digest / "
    "reverts the overlay commit, with a documented trigger (failed smoke test or manual).",
    risk="A bad release keeps the shop broken while the team improvises a fix",
    applies_to="pipelines that deploy to production",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "safe-deployments",
    ],
)
def production_has_rollback(ctx: CheckContext):
    return _control(ctx, "deploys_production", "has_rollback",
                    "a rollback path is defined in the pipeline",
                    "no rollback path is defined for production deployments")


@check(
    id="DEV-REL-002",
    domain="devops",
    severity="high",
    title="Release rollback has been tested",
    rationale="A rollback path that was never exercised fails when it is needed: schema "
    "migrations in Odoo modules are not reversible by redeploying the old image. Azure "
    "Well-Architected asks for rollback to be rehearsed, including the database side.",
    remediation="Rehearse a rollback in staging (deploy N+1 with a module upgrade, roll "
    "back to N, restore the database to the pre-upgrade point) and record the date.",
    risk="A failed release during peak trading could not be reversed with confidence",
    applies_to="attestations",
    requires=["attestations"],
    references=[
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "safe-deployments",
    ],
    basis="attested",
)
def rollback_tested(ctx: CheckContext):
    df = attestation_frame(ctx.ev, "release.rollback_tested")
    value = df["value"]
    max_age = ctx.params.targets.restore_drill_max_age_days
    age = days_since(value, ctx.as_of)  # NaN unless the answer is a date
    dated = age.notna()
    recent = dated & age.le(max_age)
    tested = value.str.lower().isin(TRUE_TEXT) | recent
    stale = ("; " + age.map(fmt).astype(str) + f" days ago, more than {max_age}").where(
        dated & ~recent, "")
    detail = "rollback tested: " + value + stale + " (" + df["by"] + ")"
    return attested_outcome(df, tested, detail, assessed=tested | falsy(value) | dated)


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


@per_evidence
def staging_vs_production(ev) -> pd.DataFrame | None:
    """Staging and production side by side, one row per production component.

    Columns: subject, repo, component, in_staging, is_app (the Odoo application, whose image
    tag is expected to differ while a release is promoted), ``<attr>_stg`` / ``<attr>_prd``
    for image, tag, digest, chart_version, config_sha256, replicas, and booleans
    image_drift, chart_drift, tag_differs, tag_drift (tag differs on a non-app component),
    promotion (tag differs on the app), config_differs, replicas_differs, drift (any judged
    drift). ``None`` if gitops_releases was not collected.
    """
    rel = ev.table("gitops_releases")
    if rel is None:
        return None
    rel = rel.assign(kind=environment_kind(rel["environment"]), repo=text(rel["repo"]),
                     component=text(rel["component"]))
    cols = ["repo", "component", "environment", "image", "tag", "digest", "chart_version",
            "config_sha256", "replicas"]
    stg = rel[rel["kind"].eq("staging")][cols].drop_duplicates(["repo", "component"])
    prd = rel[rel["kind"].eq("production")][cols].drop_duplicates(["repo", "component"])
    m = prd.merge(stg, on=["repo", "component"], how="left", suffixes=("_prd", "_stg"),
                  indicator=True)
    both = m["_merge"].eq("both")
    m["in_staging"] = both
    for side in ("stg", "prd"):
        m[f"replicas_{side}"] = pd.to_numeric(m[f"replicas_{side}"]).astype("Int64")
    img_stg, img_prd = image_parts(m["image_stg"]), image_parts(m["image_prd"])

    def differs(col: str) -> pd.Series:
        return both & text(m[f"{col}_stg"]).ne(text(m[f"{col}_prd"]))

    m["is_app"] = m["component"].str.contains("odoo", case=False) | img_prd[
        "repository"].str.contains("odoo", case=False)
    m["image_drift"] = both & text(m["image_stg"]).ne("") & text(m["image_prd"]).ne("") & (
        (img_stg["registry"] + "/" + img_stg["repository"])
        .ne(img_prd["registry"] + "/" + img_prd["repository"]))
    m["chart_drift"] = differs("chart_version")
    m["tag_differs"] = differs("tag") | differs("digest")
    m["tag_drift"] = m["tag_differs"] & ~m["is_app"]
    m["promotion"] = m["tag_differs"] & m["is_app"]
    m["config_differs"] = differs("config_sha256")
    m["replicas_differs"] = differs("replicas")
    m["drift"] = ~both | m["image_drift"] | m["chart_drift"] | m["tag_drift"]
    m["subject"] = "release:" + m["repo"] + "/" + m["component"]
    return m.drop(columns="_merge").sort_values(["repo", "component"]).reset_index(drop=True)


@check(
    id="DEV-ENV-001",
    domain="devops",
    severity="medium",
    title="Staging matches production except for the Odoo release being promoted",
    rationale="Staging only de-risks a release if it runs what production runs: the same "
    "charts and supporting component versions, differing only in the application version "
    "being promoted (and in scale and environment settings). Azure Well-Architected asks "
    "for consistent environments built from the same definitions.",
    remediation="Promote chart and component versions through staging like the Odoo image "
    "(same base overlay, environment patches limited to scale and endpoints), and add a "
    "staging-vs-production drift report to the promotion pipeline.",
    risk="A release that passed staging can still fail in production because the two "
    "environments run different versions of the platform around Odoo",
    applies_to="production releases",
    requires=["gitops_releases"],
    references=[
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "infrastructure-as-code-design",
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "safe-deployments",
    ],
)
def environments_consistent(ctx: CheckContext):
    m = staging_vs_production(ctx.ev)

    def clause(flag: str, what: pd.Series) -> pd.Series:
        return pd.Series(what, index=m.index, dtype=object).where(m[flag], "")

    def pair(col: str) -> pd.Series:
        return (text(m[f"{col}_stg"], "none") + " in staging vs "
                + text(m[f"{col}_prd"], "none") + " in production")

    tags = pair("tag").where(text(m["digest_stg"]).eq("") & text(m["digest_prd"]).eq(""),
                             pair("digest"))
    drift = (clause("chart_drift", "chart " + pair("chart_version")) + "; "
             + clause("image_drift", "image " + pair("image")) + "; "
             + clause("tag_drift", "image tag " + tags)
             ).str.replace(r"(; )+", "; ", regex=True).str.strip("; ")
    notes = (clause("promotion", "; Odoo image " + tags + " (release being promoted)")
             + clause("config_differs", "; overlay config hashes differ (environment "
                                        "settings, not judged)"))
    detail = ("drift: " + drift).where(drift.ne(""), "staging and production match") + notes
    detail = detail.where(m["in_staging"], "deployed to production with no staging "
                          "counterpart: changes reach production untested")
    return outcome(m["subject"], ~m["drift"], detail)
