"""`readiness ...`: run reviews, list checks, validate parameters, print the schema, open Lab.

Every user-fixable problem ends as one readable line on stderr and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from readiness_kit import __version__
from readiness_kit.errors import ReadinessError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Deployment readiness reviews for Odoo on Azure.")
out = Console()
err = Console(stderr=True)


def _fail(exc: ReadinessError) -> None:
    err.print(f"[bold red]error:[/] {escape(exc.render())}", highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        out.print(f"readiness-kit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version,
                                          is_eager=True, help="Show the version.")] = False,
) -> None:
    """readiness-kit command line."""


@app.command()
def run(
    params: Annotated[list[str], typer.Argument(
        help="Parameters files, globs (quoted) or folders of *.yaml")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output root")] = Path("outputs"),
    as_of: Annotated[str | None, typer.Option(help="Review date (YYYY-MM-DD)")] = None,
    notebooks: Annotated[Path | None, typer.Option(help="Notebook folder")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Tenants at a time (default: the CPU count)")] = None,
    kernels: Annotated[int, typer.Option(min=1, help="Warm kernels per worker")] = 1,
    timeout: Annotated[float | None, typer.Option(
        min=1, help="Seconds one tenant may take (default: no limit)")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Run tenants again whose latest run finished")] = False,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="Exit 3 when a gate is at or below: not_ready | conditional")]
    = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:port): run the tenants there")] = None,
    engine: Annotated[str, typer.Option(
        help="warm (kernels reused) | papermill (a fresh kernel per notebook)")] = "warm",
) -> None:
    """Review each tenant and render its report; one failing tenant never stops the others.

    Exit codes: 0 all done, 1 an unexpected error, 2 bad input or a failed tenant,
    3 a gate at or below --fail-on (2 wins over 3)."""
    from readiness_kit.portfolio import write_portfolio
    from readiness_kit.runner.batch import expand_inputs

    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _fail(ReadinessError(f"--as-of: expected a date YYYY-MM-DD, got {as_of!r}"))
        raise typer.Exit(2) from None
    if fail_on is not None:
        from readiness_kit.junit import gate_fails

        try:
            gate_fails("ready", fail_on)
        except ValueError as exc:
            _fail(ReadinessError(f"--fail-on: {exc}"))
            raise typer.Exit(2) from None
    from readiness_kit.runner.engine import ENGINES

    if engine not in ENGINES:
        _fail(ReadinessError(f"--engine: expected one of {', '.join(ENGINES)}, "
                             f"got {engine!r}"))
        raise typer.Exit(2)
    paths, bad = expand_inputs(params)
    worst = 2 if bad else 0
    for item in bad:
        _fail(ReadinessError(item.error, path=item.given))
    output = output.resolve()
    nb_dir = notebooks.resolve() if notebooks else None
    if scheduler:
        from readiness_kit.runner.distributed import run_on_cluster

        try:
            entries = _run_with_progress(paths, lambda on_event: run_on_cluster(
                scheduler, paths, output, as_of=day, notebooks_dir=nb_dir,
                kernels=kernels, engine=engine, timeout=timeout, force=force,
                on_event=on_event))
        except ReadinessError as exc:
            _fail(exc)
            raise typer.Exit(2) from None
    else:
        from readiness_kit.runner.batch import run_batch

        entries = _run_with_progress(paths, lambda on_event: run_batch(
            paths, output, workers=workers, kernels=kernels, as_of=day,
            notebooks_dir=nb_dir, engine=engine, timeout=timeout, force=force,
            on_event=on_event))
    entries += [{"tenant": Path(b.given).stem or b.given, "params_path": b.given,
                 "status": "failed", "step": "parameters", "error": f"{b.given}: {b.error}",
                 "run_dir": None, "seconds": None} for b in bad]
    gate_failed = False
    for entry in entries:
        name = escape(str(entry["tenant"]))
        if entry["status"] == "failed":
            where = f" (step {entry['step']})" if entry.get("step") else ""
            err.print(f"[bold red]error:[/] {escape(str(entry['error']))}{escape(where)}",
                      highlight=False, soft_wrap=True)
            worst = max(worst, 1 if entry.get("unexpected") else 2)
            continue
        gate = entry.get("gate")
        if entry["status"] == "skipped":
            err.print(f"[cyan]skipped[/] {name}: finished before (gate {gate}); "
                      "--force runs it again", highlight=False)
        else:
            err.print(f"[green]done[/] {name}: gate [bold]{gate}[/] in "
                      f"{entry['seconds']:.1f}s", highlight=False)
        if fail_on and gate and gate_fails(gate, fail_on):
            gate_failed = True
    index = write_portfolio(output, entries)
    for entry in entries:
        if entry["status"] != "failed" and entry.get("run_dir"):
            print(Path(entry["run_dir"]) / "report.html")
    if len(entries) > 1:
        print(index)
    if worst == 0 and gate_failed:
        err.print(f"[bold red]gate:[/] a tenant's gate is at or below {fail_on}",
                  highlight=False)
        from readiness_kit.junit import GATE_FAILED_EXIT

        worst = GATE_FAILED_EXIT
    raise typer.Exit(worst)


def _run_with_progress(paths: list[Path], start) -> list[dict]:
    """Run the batch under a rich progress display: a bar per tenant and one overall."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from readiness_kit.runner.batch import STATUS_EVENT

    steps = 12  # evidence, checks, 7 notebooks, render, ...: a rough per-tenant scale
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        overall = progress.add_task(f"[bold]{len(paths)} tenants[/]", total=len(paths))
        tasks = {str(p): progress.add_task(escape(p.stem), total=steps) for p in paths}

        def on_event(path: str, msg: str) -> None:
            task = tasks.get(path)
            if task is None:
                return
            if msg.startswith(STATUS_EVENT):
                progress.update(task, completed=steps,
                                description=f"{escape(Path(path).stem)}: "
                                            f"{msg[len(STATUS_EVENT):].strip()}")
                progress.advance(overall)
                return
            progress.update(task, advance=1,
                            description=f"{escape(Path(path).stem)}: {escape(msg)}")

        return start(on_event)


@app.command("checks")
def list_checks(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    domain: Annotated[str | None, typer.Option(help="Only this domain")] = None,
) -> None:
    """List the check catalogue with its metadata."""
    from readiness_kit.checks import REGISTRY

    checks = sorted(REGISTRY.values(), key=lambda c: c.id)
    if domain:
        checks = [c for c in checks if c.domain == domain]
    if as_json:
        print(json.dumps([c.metadata() for c in checks], indent=2))
        return
    table = Table("id", "domain", "severity", "title", title=f"{len(checks)} checks")
    for c in checks:
        table.add_row(c.id, c.domain, c.severity, c.title)
    out.print(table)


@app.command()
def validate(
    params: Annotated[list[Path], typer.Argument(help="parameters/<tenant>.yaml files")],
) -> None:
    """Check parameters files against the schema and open every file they point at."""
    from readiness_kit.collect import validate_sources
    from readiness_kit.params import load_parameters

    worst = 0
    for path in params:
        try:
            loaded = load_parameters(path)
            problems = validate_sources(loaded)
        except ReadinessError as exc:
            _fail(exc)
            worst = 2
            continue
        for problem in problems:
            _fail(ReadinessError(problem, path=path))
        if problems:
            worst = 2
            continue
        out.print(f"[green]ok[/] {path}: tenant {loaded.params.tenant}", highlight=False)
    raise typer.Exit(worst)


@app.command()
def collect(
    params: Annotated[Path, typer.Argument(help="parameters/<tenant>.yaml")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Bundle folder (default outputs/<tenant>/evidence-<UTC time>)")]
    = None,
) -> None:
    """Run the collectors only and write the evidence bundle (collect here, analyse there)."""
    from readiness_kit.collect import gather_evidence
    from readiness_kit.evidence import write_bundle
    from readiness_kit.params import load_parameters

    try:
        loaded = load_parameters(params)
        if loaded.params.sources.evidence:
            raise ReadinessError("sources.evidence names a bundle: there is nothing to collect "
                                 "(analyse it with `readiness run`)", path=params)
        tenant = loaded.params.tenant
        with err.status(f"[bold]{escape(tenant)}[/]: collecting") as status:
            def step(msg: str) -> None:
                err.print(f"  {escape(msg)}", highlight=False, soft_wrap=True)
                status.update(f"[bold]{escape(tenant)}[/]: {escape(msg)}")

            ev = gather_evidence(loaded, progress=step)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = output or Path("outputs") / tenant / f"evidence-{stamp}"
        manifest = write_bundle(ev, folder, tenant=tenant)
    except ReadinessError as exc:
        _fail(exc)
        raise typer.Exit(exc.exit_code) from None
    table = Table("table", "rows", "collector", title=f"evidence bundle {folder}")
    for name, entry in manifest["tables"].items():
        table.add_row(name, str(entry["rows"]), entry["collector"])
    err.print(table)
    gaps = len(ev.gaps)
    err.print(f"[green]done[/] {tenant}: {len(manifest['tables'])} tables, {gaps} collection "
              f"gap{'s' if gaps != 1 else ''}; bundle_sha256 {manifest['bundle_sha256'][:12]}...",
              highlight=False)
    print(folder)


@app.command()
def diff(
    run_a: Annotated[Path, typer.Argument(help="The older run (run folder, or a tenant's "
                                                "latest / tenant folder)")],
    run_b: Annotated[Path, typer.Argument(help="The newer run")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (full lists)")] = False,
    limit: Annotated[int, typer.Option(help="Rows listed per group in text (0: all)")] = 50,
) -> None:
    """Findings new, resolved and with a changed status from RUN_A to RUN_B."""
    from readiness_kit.changes import GROUPS, changes_record, compare_runs, resolve_run
    from readiness_kit.html import short_subject

    try:
        old, new = resolve_run(run_a), resolve_run(run_b)
        changes = compare_runs(old, new)
        record = changes_record(old, new, changes=changes)
    except ReadinessError as exc:
        _fail(exc)
        raise typer.Exit(exc.exit_code) from None
    record = {"old_path": str(old), "new_path": str(new),
              **{k: v for k, v in record.items() if k != "examples"}}
    if as_json:
        print(json.dumps(record, indent=2, default=str, ensure_ascii=False))
        return
    counts = record["counts"]
    out.print(f"[bold]{escape(record['previous_run_id'])}[/] (gate {record['previous_gate']}) "
              f"-> [bold]{escape(record['run_id'])}[/] (gate {record['gate']})", highlight=False)
    out.print(", ".join(f"{counts[g]} {g}" for g in GROUPS), highlight=False)
    titles = {"new": "new (open now, not open before)",
              "resolved": "resolved (open before, not open now)",
              "changed": "changed (open in both, another status)"}
    for group, title in titles.items():
        frame = getattr(changes, group)
        if frame.empty:
            continue
        shown = frame if limit <= 0 else frame.head(limit)
        table = Table("check", "severity", "subject", "before", "now", "why",
                      title=f"{len(frame)} {title}", title_justify="left")
        table.columns[2].overflow = "fold"
        for r in shown.itertuples():
            table.add_row(*(escape(str(v)) if v is not None else "-" for v in (
                r.check_id, r.severity, short_subject(r.subject), r.status_before,
                r.status_now, r.reason)))
        out.print(table)
        if len(shown) < len(frame):
            out.print(f"... and {len(frame) - len(shown)} more (--limit 0 lists all)",
                      highlight=False)


@app.command()
def schema() -> None:
    """Print the parameters JSON schema (for editor autocompletion)."""
    from readiness_kit.params import json_schema

    print(json_schema())


@app.command()
def lab(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1")] = 8888,
    notebooks: Annotated[Path | None, typer.Option(help="Notebook folder")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser")] = False,
) -> None:
    """Open JupyterLab on the notebooks with the project's kernel."""
    from readiness_kit.runner import DEFAULT_NOTEBOOKS_DIR, KERNEL

    folder = (notebooks or DEFAULT_NOTEBOOKS_DIR).resolve()
    if not folder.is_dir():
        _fail(ReadinessError("notebook folder not found", path=folder))
        raise typer.Exit(2)
    argv = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={folder}",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            f"--MappingKernelManager.default_kernel_name={KERNEL}"]
    if no_browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root
        argv.append("--allow-root")
    err.print(f"JupyterLab on {folder} with kernel {KERNEL}", highlight=False)
    os.execv(sys.executable, argv)


if __name__ == "__main__":  # pragma: no cover
    app()
