"""DevOps checks DEV-ENV-*: environment drift."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.devops._shared import environment_kind
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import image_parts, per_evidence, text


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
