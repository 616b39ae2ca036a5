"""`readiness ...`: run reviews, list checks, validate parameters, print the schema, open Lab.

Every user-fixable problem ends as one readable line on stderr and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
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
    params: Annotated[list[Path], typer.Argument(help="parameters/<tenant>.yaml files")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output root")] = Path("outputs"),
    as_of: Annotated[str | None, typer.Option(help="Review date (YYYY-MM-DD)")] = None,
    notebooks: Annotated[Path | None, typer.Option(help="Notebook folder")] = None,
) -> None:
    """Review each tenant and render its report; one failing tenant never stops the others."""
    from readiness_kit.portfolio import write_portfolio
    from readiness_kit.runner import TenantRun, run_tenant

    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _fail(ReadinessError(f"--as-of: expected a date YYYY-MM-DD, got {as_of!r}"))
        raise typer.Exit(2) from None
    worst = 0
    reports: list[Path] = []
    entries: list[dict] = []
    for path in params:
        res = TenantRun(params_path=path)
        entry = {"tenant": path.stem, "params_path": str(path), "status": "failed",
                 "run_dir": None, "step": None, "error": None, "seconds": None}
        entries.append(entry)
        started = time.perf_counter()
        with err.status(f"[bold]{path}[/]: starting") as status:
            def step(msg: str, _path: Path = path, _status=status) -> None:
                _status.update(f"[bold]{_path}[/]: {msg}")

            try:
                run_tenant(path, output, as_of=day, notebooks_dir=notebooks, on_step=step,
                           result=res)
            except Exception as exc:  # noqa: BLE001 - keep going with the other tenants
                if isinstance(exc, ReadinessError):
                    _fail(exc)
                    worst = max(worst, exc.exit_code)
                else:
                    err.print(f"[bold red]error:[/] {escape(str(path))}: unexpected "
                              f"{type(exc).__name__}: {escape(str(exc))}",
                              highlight=False, soft_wrap=True)
                    worst = max(worst, 1)
                entry.update(tenant=res.tenant or path.stem, step=res.step,
                             error=" ".join(str(exc).split()) or type(exc).__name__,
                             run_dir=str(res.run_dir) if res.run_dir else None,
                             seconds=round(time.perf_counter() - started, 1))
                continue
        entry.update(tenant=res.tenant, status="done", run_dir=str(res.run_dir),
                     seconds=round(time.perf_counter() - started, 1))
        total = sum(res.timings.values())
        err.print(f"[green]done[/] {res.tenant}: gate [bold]{res.gate}[/] in {total:.1f}s",
                  highlight=False)
        reports.append(res.report)
    index = write_portfolio(output, entries)
    for report in reports:
        print(report)
    if len(entries) > 1:
        print(index)
    raise typer.Exit(worst)


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
