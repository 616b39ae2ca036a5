"""One tenant's run: evidence -> frozen bundle -> findings -> notebooks -> report.html.

Output of one run (ARCHITECTURE 7): ``<output>/<tenant>/<run-id>/`` with report.html,
findings.json, findings.csv, findings.parquet, junit.xml, summary.json, changes.json,
notebooks/ and evidence/; ``<tenant>/latest`` points at the newest run, and
``complete.json`` in it says the run finished (a batch that is re-run skips it).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from readiness_kit import __version__
from readiness_kit.errors import ReadinessError

COMPLETE_MARKER = "complete.json"


@dataclass
class TenantRun:
    """One tenant's run: where it went, its gate and how long each step took
    (``step`` names the step that was under way when it failed)."""
    params_path: Path
    tenant: str | None = None
    run_dir: Path | None = None
    report: Path | None = None
    gate: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    step: str = "parameters"


def new_run_id(tenant_dir: Path, now: dt.datetime) -> str:
    """A fresh run id whose folder this call has created (two workers never share one)."""
    base = now.strftime("%Y%m%dT%H%M%SZ")
    run_id, n = base, 1
    while True:
        try:
            (tenant_dir / run_id).mkdir()
            return run_id
        except FileExistsError:
            n += 1
            run_id = f"{base}-{n}"


def point_latest(tenant_dir: Path, run_id: str) -> None:
    """Atomically repoint ``latest`` at ``run_id`` (relative symlink)."""
    tmp = tenant_dir / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_id, target_is_directory=True)
    os.replace(tmp, tenant_dir / "latest")


def params_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def completed_run(tenant_dir: Path, digest: str, as_of: dt.date | None) -> Path | None:
    """The tenant's latest run if it finished with these very parameters (and, when a
    review date is given, for that date); None when it must be run (again)."""
    marker = tenant_dir / "latest" / COMPLETE_MARKER
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("params_sha256") != digest:
        return None
    if as_of is not None and record.get("as_of") != as_of.isoformat():
        return None
    run_dir = (tenant_dir / "latest").resolve()
    return run_dir if (run_dir / "report.html").is_file() else None


def release_memory() -> None:
    """Give the evidence and findings of a finished step back to the system before the
    notebooks start (a 100k-resource estate holds ~1 GB of them)."""
    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except Exception:  # noqa: BLE001 - best effort
        pass
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def run_tenant(
    params_path: str | Path,
    output_root: str | Path = "outputs",
    *,
    as_of: dt.date | None = None,
    notebooks_dir: Path | None = None,
    on_step: Callable[[str], None] | None = None,
    kernels: int = 1,
    engine: str = "warm",
    timeout: float | None = None,
    result: TenantRun | None = None,
) -> TenantRun:
    """Review one tenant end to end; raises ``ReadinessError`` on bad input. Pass
    ``result`` to learn, after a failure, which step was under way (``result.step``).
    ``timeout`` (seconds) bounds the whole run: a step that starts after it has passed,
    or a notebook cell still running when it passes, fails the run."""
    from readiness_kit.changes import previous_run, write_changes
    from readiness_kit.collect import gather_evidence
    from readiness_kit.evidence import load_bundle, write_bundle
    from readiness_kit.outputs import write_outputs
    from readiness_kit.params import load_parameters
    from readiness_kit.report import render_report
    from readiness_kit.review import build_review
    from readiness_kit.runner.engine import DEFAULT_NOTEBOOKS_DIR, execute_notebooks

    step = on_step or (lambda _msg: None)
    result = result or TenantRun(params_path=Path(params_path))
    started = clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[name] = round(now - clock, 3)
        clock = now

    def remaining(next_step: str) -> float | None:
        if timeout is None:
            return None
        left = timeout - (time.perf_counter() - started)
        if left <= 0:
            raise ReadinessError(f"timed out after {timeout:g}s, before {next_step}",
                                 path=params_path)
        return left

    params_path = Path(params_path).resolve()
    kernel_log = Path(output_root).resolve() / "logs" / f"kernels-{os.getpid()}.log"
    if engine == "warm":
        from readiness_kit.runner.kernels import prestart

        prestart(kernels, kernel_log)  # starts while evidence and checks run
    digest = params_digest(params_path) if params_path.is_file() else None
    loaded = load_parameters(params_path)
    params = loaded.params
    result.tenant = params.tenant
    result.step = "evidence"
    step("collecting evidence")
    ev = gather_evidence(loaded)
    now = dt.datetime.now(dt.UTC)
    day = as_of or now.date()
    tenant_dir = Path(output_root).resolve() / params.tenant
    tenant_dir.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id(tenant_dir, now)
    run_dir = tenant_dir / run_id
    result.run_dir = run_dir
    write_bundle(ev, run_dir / "evidence", tenant=params.tenant)
    ev = load_bundle(run_dir / "evidence")  # analyse exactly what was frozen
    lap("evidence")
    remaining("checks")
    result.step = "checks"
    step("running checks")
    review = build_review(params, ev, day)
    generated_at = now.isoformat(timespec="seconds")
    summary = write_outputs(review, run_dir, run_id=run_id, generated_at=generated_at)
    write_changes(run_dir, previous_run(tenant_dir, run_id))
    result.gate = review.gate
    header = {
        "tenant": params.tenant, "display_name": params.name, "run_id": run_id,
        "generated_at": generated_at, "as_of": day.isoformat(), "gate": review.gate,
        "gate_reasons": review.gate_reasons, "evidence_sha256": ev.sha256,
        "toolkit_version": __version__, "scores": summary["domains"],
        "counts": summary["counts"],
    }
    del ev, review, summary
    release_memory()
    lap("checks")
    left = remaining("notebooks")
    result.step = "notebooks"
    executed = execute_notebooks(
        run_dir, loaded.path, day, notebooks_dir or DEFAULT_NOTEBOOKS_DIR, step, kernels,
        engine=engine, cell_timeout=600 if left is None else max(1.0, min(600.0, left)),
        log_path=kernel_log)
    lap("notebooks")
    remaining("render")
    result.step = "render"
    step("rendering report")
    result.report = render_report(executed, header, run_dir / "report.html")
    lap("render")
    point_latest(tenant_dir, run_id)
    complete = {"tenant": params.tenant, "run_id": run_id, "gate": result.gate,
                "as_of": day.isoformat(), "params_sha256": digest,
                "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    (run_dir / COMPLETE_MARKER).write_text(json.dumps(complete, indent=1) + "\n",
                                           encoding="utf-8")
    result.step = "done"
    return result
