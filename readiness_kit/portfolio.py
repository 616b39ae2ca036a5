"""The portfolio index of a batch: ``<output>/index.html`` and ``<output>/summary.json``.

One page for every tenant of a batch: a tenants x domains score heatmap, the gate of each
tenant, the tenants that failed (with the step and the error), the findings that are new
or resolved since each tenant's previous review, and a relative link to each tenant's
report, so the outputs folder can be moved or zipped as a whole.

The page is self-contained like a tenant report (same CSS, same Content-Security-Policy,
one inline plotly.js, nothing from the network) and rendered by a Jinja2 template with
autoescape on. It stays bounded: one table row per tenant, a heatmap cell per tenant and
domain, error text cut short (the full text is in summary.json).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from readiness_kit import DOMAIN_TITLES, DOMAINS, GATES, __version__
from readiness_kit.changes import read_changes
from readiness_kit.errors import ReadinessError

ENTRY_STATUSES: tuple[str, ...] = ("done", "failed", "skipped")
#: Error text shown in the page at most (characters); summary.json keeps all of it.
ERROR_CHARS = 400
#: Heatmap rows drawn at most (worst tenants first); the table lists every tenant.
HEATMAP_ROWS = 1000
TEMPLATES = Path(__file__).resolve().parent / "report" / "templates"
_TENANT = re.compile(r"[a-z0-9-]+")  # a tenant id names its output folder
GATE_ORDER = {g: i for i, g in enumerate(reversed(GATES))}  # not_ready first


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _relative(output_root: Path, path: Path) -> str:
    """``path`` relative to the index's folder, ``/`` separated (absolute when it is on
    another drive)."""
    try:
        return Path(os.path.relpath(path, output_root)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _report_href(output_root: Path, run_dir: Path) -> str | None:
    """The report's link relative to the index (URL-quoted), None when there is none."""
    report = run_dir / "report.html"
    if not report.is_file():
        return None
    return "/".join(quote(part) for part in _relative(output_root, report).split("/"))


def _score(details: Mapping[str, Any], domains: Mapping[str, Any], domain: str) -> float | None:
    """A domain's score; None when nothing in it was assessed (summary.json writes 0 in
    ``domains`` then, ``domain_details`` keeps the missing score)."""
    value = details[domain].get("score") if domain in details else domains.get(domain)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else round(number, 1)


def tenant_row(output_root: Path, entry: Mapping[str, Any]) -> dict:
    """One tenant of the portfolio from a runner entry (and, for a finished tenant, its
    run's summary.json and changes.json)."""
    status = str(entry.get("status") or "failed")
    if status not in ENTRY_STATUSES:
        raise ValueError(f"portfolio entry status {status!r} is not one of {ENTRY_STATUSES}")
    seconds = entry.get("seconds")
    row: dict[str, Any] = {
        "tenant": str(entry.get("tenant") or Path(str(entry.get("params_path") or "?")).stem),
        "params_path": str(entry.get("params_path") or ""),
        "status": status, "step": entry.get("step"), "error": entry.get("error"),
        "seconds": None if seconds is None else round(float(seconds), 1),
        "run_id": None, "run_dir": entry.get("run_dir"), "report": None,
        "display_name": None, "gate": None, "gate_reasons": [], "domains": {},
        "counts": {}, "changes": None, "last_report": None,
    }
    row["display_name"] = row["tenant"]
    if status == "failed" or not entry.get("run_dir"):
        if status != "failed":
            row.update(status="failed", step=row["step"] or "outputs",
                       error=row["error"] or "no run folder was recorded")
        # an earlier run of the tenant still has its report: link it as such
        if _TENANT.fullmatch(row["tenant"]) and (output_root / row["tenant"] / "latest").is_dir():
            row["last_report"] = _report_href(output_root, output_root / row["tenant"] / "latest")
        return row
    run_dir = Path(str(entry["run_dir"]))
    row["run_dir"] = _relative(output_root, run_dir)
    try:
        summary = _read_json(run_dir / "summary.json")
    except (OSError, ValueError) as exc:
        where = _relative(output_root, run_dir / "summary.json")
        row.update(status="failed", step="summary", error=f"{where}: not readable: "
                   f"{getattr(exc, 'strerror', None) or exc}")
        return row
    details = {d.get("domain"): d for d in summary.get("domain_details") or []
               if isinstance(d, Mapping)}
    domains = summary.get("domains") or {}
    gate = summary.get("gate")
    row.update(
        tenant=str(summary.get("tenant") or row["tenant"]),
        display_name=str(summary.get("display_name") or summary.get("tenant") or row["tenant"]),
        run_id=summary.get("run_id") or run_dir.name,
        gate=gate if gate in GATES else None,
        gate_reasons=[str(r) for r in summary.get("gate_reasons") or []],
        domains={d: _score(details, domains, d)
                 for d in [*DOMAINS, *[k for k in domains if k not in DOMAINS]]
                 if d in domains or d in details},
        counts={str(k): int(v) for k, v in (summary.get("counts") or {}).items()},
        report=_report_href(output_root, run_dir),
    )
    try:
        changes = read_changes(run_dir)
    except ReadinessError:
        changes = None
    if changes:
        row["changes"] = {
            "first_review": bool(changes.get("first_review")),
            "previous_run_id": changes.get("previous_run_id"),
            **{k: int((changes.get("counts") or {}).get(k, 0))
               for k in ("new", "resolved", "changed", "unchanged")},
        }
    return row


def portfolio_record(output_root: Path, entries: Sequence[Mapping[str, Any]], *,
                     generated_at: str | None = None) -> dict:
    """What the portfolio summary.json holds (and the page shows)."""
    rows = [tenant_row(output_root, e) for e in entries]
    gates = {g: sum(1 for r in rows if r["gate"] == g) for g in GATES}
    statuses = {s: sum(1 for r in rows if r["status"] == s) for s in ENTRY_STATUSES}
    with_changes = [r["changes"] for r in rows if r["changes"]]
    return {
        "generated_at": generated_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "toolkit_version": __version__,
        "tenants": len(rows),
        "statuses": statuses,
        "gates": gates,
        "changes": {k: sum(c[k] for c in with_changes)
                    for k in ("new", "resolved", "changed", "unchanged")},
        "failures": [{k: r[k] for k in ("tenant", "params_path", "step", "error", "seconds")}
                     for r in rows if r["status"] == "failed"],
        "entries": rows,
    }


# --------------------------------------------------------------------------- page
def _worst_first(row: Mapping[str, Any]) -> tuple:
    scores = [s for s in row["domains"].values() if s is not None]
    return (0 if row["status"] == "failed" else 1, GATE_ORDER.get(row["gate"], 3),
            min(scores) if scores else 101.0, row["tenant"])


def heatmap_figure(rows: Sequence[Mapping[str, Any]], *, max_rows: int = HEATMAP_ROWS):
    """Tenants x domains scores (0-100) in the house style, worst tenants on top; a domain
    with nothing assessed is an empty cell. None when no tenant has scores."""
    from readiness_kit.charts import style

    scored = [r for r in rows if r["domains"]][:max_rows]
    if not scored:
        return None
    domains = [d for d in DOMAINS if any(d in r["domains"] for r in scored)]
    domains += sorted({d for r in scored for d in r["domains"]} - set(domains))
    z = [[r["domains"].get(d) for d in domains] for r in scored]
    labels = [r["tenant"] for r in scored]
    names = [[r["display_name"]] * len(domains) for r in scored]
    fig = style.figure("Domain scores per tenant (worst first)")
    import plotly.graph_objects as go

    fig.add_trace(go.Heatmap(
        z=z, x=[DOMAIN_TITLES.get(d, d) for d in domains], y=labels, customdata=names,
        zmin=0, zmax=100, xgap=1, ygap=1 if len(scored) <= 120 else 0,
        colorscale=[[0.0, style.STATUS_COLOURS["fail"]], [0.5, style.GATE_COLOURS["conditional"]],
                    [1.0, style.STATUS_COLOURS["pass"]]],
        colorbar={"title": {"text": "score"}, "thickness": 12},
        hovertemplate="%{customdata}<br>%{x}: %{z:.0f}<extra></extra>",
        hoverongaps=False,
    ))
    height = int(min(140 + 18 * len(scored), 2400))
    fig.update_layout(height=height, margin={"l": 160, "r": 20, "t": 60, "b": 40},
                      xaxis={"side": "top", "gridcolor": "rgba(0,0,0,0)"},
                      yaxis={"autorange": "reversed", "type": "category",
                             "gridcolor": "rgba(0,0,0,0)",
                             "showticklabels": len(scored) <= 120})
    return fig


@cache
def _environment() -> jinja2.Environment:
    """The fragments' environment (filters, macros, autoescape) with the portfolio page."""
    from readiness_kit import html as rh

    return rh.environment().overlay(loader=jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(TEMPLATES / "portfolio"), rh.environment().loader]))


def _page_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict]:
    out = []
    for r in sorted(rows, key=_worst_first):
        error = str(r["error"]) if r.get("error") else ""
        out.append({**r, "error_short": error if len(error) <= ERROR_CHARS
                    else error[:ERROR_CHARS] + "…", "error_cut": len(error) > ERROR_CHARS,
                    "domain_cells": [(d, r["domains"].get(d)) for d in DOMAINS]})
    return out


def render_index(record: Mapping[str, Any]) -> str:
    """The index page for a portfolio ``record`` (see :func:`portfolio_record`)."""
    from readiness_kit import html as rh
    from readiness_kit.report.exporter import (
        _colours,
        _format_generated,
        figure_json,
        plotly_js,
    )

    rows = _page_rows(record["entries"])
    fig = heatmap_figure(rows)
    figure = None if fig is None else Markup(figure_json(fig.to_plotly_json()))
    draw = (TEMPLATES / "readiness" / "draw.js").read_text(encoding="utf-8")
    css = (TEMPLATES / "readiness" / "report.css").read_text(encoding="utf-8")
    css += (TEMPLATES / "portfolio" / "portfolio.css").read_text(encoding="utf-8")
    return _environment().get_template("index.html.j2").render(
        record=record, rows=rows, failures=[r for r in rows if r["status"] == "failed"],
        domains=[(d, DOMAIN_TITLES[d]) for d in DOMAINS], gates=GATES,
        figure=figure, colours=_colours(), generated=_format_generated(record["generated_at"]),
        fragment_css=Markup(rh.FRAGMENT_CSS), report_css=Markup(css),
        plotly=Markup(plotly_js()) if figure else None, draw_js=Markup(draw),
        heatmap_rows=HEATMAP_ROWS, error_chars=ERROR_CHARS,
    )


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_portfolio(output_root: Path, entries: list[dict]) -> Path:
    """Write ``output_root/index.html`` and ``output_root/summary.json`` for a batch's
    ``entries`` (one per tenant: tenant, params_path, status done|failed|skipped, run_dir,
    step, error, seconds) and return the index's path."""
    root = Path(output_root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    record = portfolio_record(root, entries)
    _write_atomic(root / "summary.json", json.dumps(record, indent=1, default=str) + "\n")
    index = root / "index.html"
    _write_atomic(index, render_index(record))
    return index
