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
#: Evidence rows up to which a single run starts its kernel while the checks run; a larger
#: estate starts it once the checks' memory is given back (the two would otherwise peak
#: together: at 100,000 resources 1.26 GiB of checks plus the starting kernel).
PRESTART_MAX_ROWS = 50_000


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


def completed_run(tenant_dir: Path, digest: str, as_of: dt.date | None) -> dict | None:
    """The tenant's latest run's ``complete.json`` record (with ``run_dir`` added) if it
    finished with these very parameters (and, when a review date is given, for that date);
    None when it must be run (again)."""
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
    return {**record, "run_dir": run_dir} if (run_dir / "report.html").is_file() else None


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


@dataclass
class PreparedRun:
    """A run whose evidence, findings and summary are written and whose notebooks and
    report are still to come (what ``prepare_run`` hands to ``present_run``; plain data,
    so a batch can prepare in a worker process and present in another)."""
    tenant: str
    params_path: Path
    run_dir: Path
    day: dt.date
    header: dict
    digest: str | None
    deadline: float | None  # time.time() by which the run must end (None: no limit)


def _left(deadline: float | None, next_step: str, where: Path) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.time()
    if left <= 0:
        raise ReadinessError(f"timed out before {next_step}", path=where)
    return left


def prepare_run(
    params_path: str | Path, output_root: str | Path, result: TenantRun, *,
    as_of: dt.date | None = None, on_step: Callable[[str], None] | None = None,
    timeout: float | None = None, on_evidence: Callable[[int], None] | None = None,
) -> PreparedRun:
    """Evidence -> frozen bundle -> findings, summary, changes (raises on bad input).
    ``on_evidence`` is told the evidence's row count once it is frozen."""
    from readiness_kit.changes import previous_run, write_changes
    from readiness_kit.collect import gather_evidence
    from readiness_kit.evidence import load_bundle, write_bundle
    from readiness_kit.outputs import write_outputs
    from readiness_kit.params import load_parameters
    from readiness_kit.review import build_review

    step = on_step or (lambda _msg: None)
    deadline = None if timeout is None else time.time() + timeout
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[name] = round(now - clock, 3)
        clock = now

    params_path = Path(params_path).resolve()
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
    if on_evidence:
        on_evidence(sum(len(t) for t in ev.tables.values()))
    _left(deadline, "checks", params_path)
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
    return PreparedRun(tenant=params.tenant, params_path=loaded.path, run_dir=run_dir,
                       day=day, header=header, digest=digest, deadline=deadline)


def present_run(
    prepared: PreparedRun, result: TenantRun, *, notebooks_dir: Path | None = None,
    on_step: Callable[[str], None] | None = None, kernels: int = 1, engine: str = "warm",
    lanes: list | None = None, kernel_log: Path | None = None,
) -> TenantRun:
    """Notebooks -> report.html -> ``latest`` -> complete.json."""
    from readiness_kit.report import render_report
    from readiness_kit.runner.engine import DEFAULT_NOTEBOOKS_DIR, execute_notebooks

    step = on_step or (lambda _msg: None)
    clock = time.perf_counter()
    run_dir = prepared.run_dir
    left = _left(prepared.deadline, "notebooks", prepared.params_path)
    result.step = "notebooks"
    executed = execute_notebooks(
        run_dir, prepared.params_path, prepared.day, notebooks_dir or DEFAULT_NOTEBOOKS_DIR,
        step, kernels, engine=engine,
        cell_timeout=600 if left is None else max(1.0, min(600.0, left)),
        log_path=kernel_log, lanes=lanes)
    result.timings["notebooks"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    _left(prepared.deadline, "render", prepared.params_path)
    result.step = "render"
    step("rendering report")
    result.report = render_report(executed, prepared.header, run_dir / "report.html")
    result.timings["render"] = round(time.perf_counter() - clock, 3)
    point_latest(run_dir.parent, run_dir.name)
    complete = {"tenant": prepared.tenant, "run_id": run_dir.name,
                "gate": prepared.header["gate"], "as_of": prepared.day.isoformat(),
                "params_sha256": prepared.digest,
                "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    (run_dir / COMPLETE_MARKER).write_text(json.dumps(complete, indent=1) + "\n",
                                           encoding="utf-8")
    result.step = "done"
    return result


def kernel_log_path(output_root: str | Path) -> Path:
    return Path(output_root).resolve() / "logs" / f"kernels-{os.getpid()}.log"


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
    result = result or TenantRun(params_path=Path(params_path))
    kernel_log = kernel_log_path(output_root)
    def start_kernels(rows: int) -> None:
        if engine == "warm" and rows <= PRESTART_MAX_ROWS:
            from readiness_kit.runner.kernels import prestart

            prestart(kernels, kernel_log)  # starts while the checks run

    prepared = prepare_run(params_path, output_root, result, as_of=as_of, on_step=on_step,
                           timeout=timeout, on_evidence=start_kernels)
    return present_run(prepared, result, notebooks_dir=notebooks_dir, on_step=on_step,
                       kernels=kernels, engine=engine, kernel_log=kernel_log)
