"""DevOps checks DEV-CI-*: continuous integration."""

from __future__ import annotations

from readiness_kit.checks.devops._shared import _control, pipelines_summary
from readiness_kit.checks.registry import CheckContext, check, outcome


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
