"""Two real runs of the demo tenant, built the way the runner builds them but without
executing notebooks (the tests here are about the comparison and the index, not the report).

Run A is the demo as shipped. Run B is the demo a few weeks later: the ``debug-shell``
Deployment is gone, a ``traefik-canary`` Deployment (and one whose name is markup) has
appeared, slow statement logging was switched on, connection logging was switched off,
and the waivers were dropped from the parameters.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from readiness_kit.changes import previous_run, write_changes
from readiness_kit.collect import gather_evidence
from readiness_kit.evidence import Evidence, load_bundle, write_bundle
from readiness_kit.outputs import write_outputs
from readiness_kit.params import Parameters, load_parameters
from readiness_kit.review import build_review

REPO = Path(__file__).resolve().parents[2]
DEMO_PARAMS = REPO / "parameters" / "demo-retail.yaml"
TENANT = "demo-retail"
RUN_A = "20261101T100000Z"
RUN_B = "20261127T100000Z"
AS_OF = dt.date(2026, 11, 27)
XSS_NAME = "<script>alert(1)</script>"


@dataclass
class Runs:
    root: Path          # the output root
    tenant_dir: Path
    a: Path
    b: Path
    params_a: Parameters
    params_b: Parameters


def build_run(ev: Evidence, params: Parameters, tenant_dir: Path, run_id: str) -> Path:
    """One run folder as the runner writes it (evidence frozen and re-read, findings,
    summary, changes against the previous complete run, ``latest`` repointed)."""
    run_dir = tenant_dir / run_id
    run_dir.mkdir(parents=True)
    write_bundle(ev, run_dir / "evidence", tenant=params.tenant)
    review = build_review(params, load_bundle(run_dir / "evidence"), AS_OF)
    write_outputs(review, run_dir, run_id=run_id, generated_at=f"{AS_OF}T10:00:00+00:00")
    write_changes(run_dir, previous_run(tenant_dir, run_id))
    latest = tenant_dir / "latest"
    if latest.is_symlink():
        latest.unlink()
    os.symlink(run_id, latest, target_is_directory=True)
    return run_dir


def weeks_later(ev: Evidence) -> Evidence:
    """Run B's evidence: the demo's tables with the changes the module doc lists."""
    k8s = ev.tables["k8s_objects"].copy()
    gone = (k8s["kind"] == "Deployment") & (k8s["name"] == "debug-shell")
    traefik = k8s[(k8s["kind"] == "Deployment") & (k8s["name"] == "traefik")]
    added = pd.concat([traefik.assign(name="traefik-canary"), traefik.assign(name=XSS_NAME)])
    ev.add("k8s_objects", pd.concat([k8s[~gone], added], ignore_index=True),
           ev.provenance["k8s_objects"])
    settings = ev.tables["pg_settings"].copy()
    settings.loc[settings["name"] == "log_min_duration_statement", "setting"] = "500"
    settings.loc[settings["name"] == "log_connections", "setting"] = "off"
    ev.add("pg_settings", settings, ev.provenance["pg_settings"])
    return ev


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> Runs:
    root = tmp_path_factory.mktemp("outputs")
    tenant_dir = root / TENANT
    loaded = load_parameters(DEMO_PARAMS)
    params_a = loaded.params
    params_b = params_a.model_copy(update={"waivers": []})
    a = build_run(gather_evidence(loaded), params_a, tenant_dir, RUN_A)
    b = build_run(weeks_later(gather_evidence(loaded)), params_b, tenant_dir, RUN_B)
    return Runs(root=root, tenant_dir=tenant_dir, a=a, b=b, params_a=params_a,
                params_b=params_b)
