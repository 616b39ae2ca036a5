"""What several DevOps area modules share: constants, references and helpers."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, outcome
from readiness_kit.frames import per_evidence, text, truthy

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
