"""Small, escaping HTML fragments that notebooks display and the report styles.

Every fragment is rendered by a Jinja2 template in ``report/templates/fragments/`` with
autoescape on, so a subject named ``<img src=x onerror=alert(1)>`` is shown as text, never
run: escaping holds by construction, not by remembering to call it. The functions here
shape the data (order, limits, display text) and pick the template. Builders return a
:class:`Fragment`: a ``str`` (easy to test and to concatenate) that Jupyter displays as
HTML. ``show(...)`` displays one or more fragments from anywhere in a cell.

Each fragment starts with a small ``<style data-rk-fragment="...">`` block so it looks right
in JupyterLab on its own; the report template carries the same CSS once (``FRAGMENT_CSS``)
and drops those per-fragment blocks.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from jinja2.ext import Extension
from markupsafe import Markup

from readiness_kit import GATES, SEVERITIES
from readiness_kit.palette import (
    ACCENT,
    GATE_COLOURS,
    NEUTRAL,
    SEVERITY_COLOURS,
    STATUS_COLOURS,
)

__all__ = [
    "FRAGMENT_CSS",
    "Fragment",
    "badge",
    "findings_table",
    "gaps_table",
    "passes_summary",
    "gate_badge",
    "risk_list",
    "severity_badge",
    "short_subject",
    "show",
    "status_badge",
    "table",
    "verdict_callout",
    "scenario_cards",
    "check_anchor",
    "waivers_table",
    "changes_view",
]

# Order in which findings are listed: what needs action first.
STATUS_ORDER: tuple[str, ...] = ("fail", "error", "waived", "not_assessed", "pass")
STATUS_LABELS = {
    "pass": "Pass", "fail": "Fail", "not_assessed": "Not assessed", "error": "Error",
    "waived": "Waived",
}
GATE_LABELS = {"ready": "Ready", "conditional": "Conditional", "not_ready": "Not ready"}
WAIVER_COLOURS = {"active": STATUS_COLOURS["waived"], "expired": STATUS_COLOURS["fail"],
                  "unused": STATUS_COLOURS["not_assessed"], "malformed": STATUS_COLOURS["error"]}
# Verdict words (gate or domain verdict) -> callout tone.
_TONES = {
    "good": {"ready", "pass", "passed", "demonstrated", "good", "ok", "green", "survives",
             "within"},
    "warn": {"conditional", "partial", "partially_demonstrated", "at_risk", "warning",
             "waived", "amber", "tight"},
    "bad": {"not_ready", "blocked", "fail", "failed", "not_demonstrated", "critical", "error",
            "bad", "red", "fails", "breach"},
}
TONE_COLOURS = {"good": GATE_COLOURS["ready"], "warn": GATE_COLOURS["conditional"],
                "bad": GATE_COLOURS["not_ready"], "neutral": "#607d8b"}
VERDICT_COLOURS = {"survives": GATE_COLOURS["ready"], "at_risk": GATE_COLOURS["conditional"],
                   "fails": GATE_COLOURS["not_ready"],
                   "not_assessed": STATUS_COLOURS["not_assessed"]}
FIGURE_COLOURS = {"within": STATUS_COLOURS["pass"], "tight": GATE_COLOURS["conditional"],
                  "breach": STATUS_COLOURS["fail"], "unknown": STATUS_COLOURS["not_assessed"]}
_SAFE_TOKEN = re.compile(r"[^a-z0-9_-]+")
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


# --------------------------------------------------------------------------- CSS
def _colour_rules(prefix: str, colours: Mapping[str, str]) -> str:
    return "".join(
        f".rk-badge.rk-{prefix}-{key}{{background:{colour};}}" for key, colour in colours.items()
    )


_CSS: dict[str, str] = {
    "base": (
        ".rk-badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;"
        "font-size:11.5px;font-weight:600;line-height:18px;white-space:nowrap;"
        "letter-spacing:.02em;background:#607d8b;vertical-align:baseline;}"
        + _colour_rules("sev", SEVERITY_COLOURS)
        + _colour_rules("status", STATUS_COLOURS)
        + _colour_rules("gate", GATE_COLOURS)
        + _colour_rules("waiver", WAIVER_COLOURS)
        + _colour_rules("tone", TONE_COLOURS)
        + _colour_rules("verdict", VERDICT_COLOURS)
        + _colour_rules("figure", FIGURE_COLOURS)
        + ".rk-badge.rk-sev-low{color:#263238;}"
        ".rk-subject{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
        "font-size:12px;overflow-wrap:anywhere;}"
        ".rk-muted{color:#607d8b;}"
        ".rk-note{color:#455a64;font-style:italic;margin:6px 0;}"
        ".rk-fragment{color:#263238;margin:10px 0 18px 0;}"
        ".rk-fragment a{color:" + ACCENT + ";}"
    ),
    "callout": (
        ".rk-callout{border-left:6px solid #607d8b;background:#f5f7f8;border-radius:4px;"
        "padding:14px 18px;}"
        ".rk-callout-head{display:flex;gap:12px;align-items:center;flex-wrap:wrap;}"
        ".rk-callout-headline{font-size:17px;font-weight:600;color:#263238;}"
        ".rk-callout p{margin:8px 0 0 0;line-height:1.55;}"
        ".rk-callout-title{font-size:12px;text-transform:uppercase;letter-spacing:.06em;"
        "color:#607d8b;margin-bottom:4px;}"
        + "".join(
            f".rk-callout.rk-tone-{tone}{{border-left-color:{colour};"
            f"background:{colour}0f;}}" for tone, colour in TONE_COLOURS.items()
        )
    ),
    "risks": (
        "ol.rk-risks{list-style:none;padding:0;margin:0;counter-reset:rk-risk;}"
        "li.rk-risk{border:1px solid " + NEUTRAL + ";border-radius:6px;padding:10px 14px;"
        "margin:0 0 10px 0;background:#fff;break-inside:avoid;}"
        ".rk-risk-head{display:flex;gap:10px;align-items:baseline;}"
        ".rk-risk-text{font-weight:600;line-height:1.45;}"
        ".rk-risk-meta,.rk-risk-fix{margin-top:5px;font-size:13px;line-height:1.5;}"
        ".rk-risk-fix strong,.rk-risk-meta strong{color:#455a64;}"
    ),
    "table": (
        "table.rk-table{border-collapse:collapse;width:100%;font-size:13px;margin:0;"
        "color:#263238;table-layout:auto;}"
        "table.rk-table caption{caption-side:top;text-align:left;font-weight:600;"
        "padding:0 0 6px 0;color:" + ACCENT + ";}"
        "table.rk-table th,table.rk-table td{padding:6px 9px;text-align:left;"
        "vertical-align:top;border-bottom:1px solid #e0e6e9;line-height:1.45;}"
        "table.rk-table thead th{background:#eceff1;border-bottom:2px solid " + NEUTRAL
        + ";font-weight:600;white-space:nowrap;}"
        "table.rk-table tbody tr:nth-child(even){background:#fafbfc;}"
        "table.rk-table td.rk-num,table.rk-table th.rk-num{text-align:right;"
        "font-variant-numeric:tabular-nums;}"
        "table.rk-kv th[scope=row]{width:32%;background:#f5f7f8;font-weight:600;}"
        ".rk-table-wrap{overflow-x:auto;}"
        ".rk-more{font-size:12px;color:#607d8b;margin-top:4px;}"
    ),
    "findings": (
        "table.rk-findings td.rk-check{white-space:nowrap;}"
        "table.rk-findings .rk-check-title{display:block;white-space:normal;font-size:12px;"
        "color:#607d8b;max-width:220px;}"
        "table.rk-findings td.rk-subject-cell{min-width:170px;}"
        "table.rk-findings td.rk-detail{min-width:180px;}"
        "table.rk-findings td.rk-fix{min-width:180px;font-size:12.5px;}"
        "table.rk-findings tr.rk-row-fail td:first-child{box-shadow:inset 3px 0 0 "
        + STATUS_COLOURS["fail"] + ";}"
        "table.rk-findings tr.rk-row-error td:first-child{box-shadow:inset 3px 0 0 "
        + STATUS_COLOURS["error"] + ";}"
        ".rk-refs{display:block;margin-top:3px;font-size:11.5px;}"
        ".rk-waiver-note{display:block;margin-top:3px;font-size:12px;color:"
        + STATUS_COLOURS["waived"] + ";}"
    ),
    "scenarios": (
        ".rk-scenarios{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));"
        "gap:14px;}"
        ".rk-scenario{border:1px solid " + NEUTRAL + ";border-top:6px solid #607d8b;"
        "border-radius:6px;padding:12px 16px;background:#fff;break-inside:avoid;}"
        + "".join(f".rk-scenario.rk-tone-{tone}{{border-top-color:{colour};}}"
                  for tone, colour in TONE_COLOURS.items())
        + ".rk-scenario-head{display:flex;gap:10px;align-items:center;}"
        ".rk-scenario-title{font-size:16px;font-weight:600;color:#263238;}"
        ".rk-scenario-question{margin:6px 0;color:#455a64;font-style:italic;}"
        ".rk-scenario-reason{margin:6px 0 10px 0;font-weight:600;line-height:1.45;}"
        "table.rk-scenario-figures{margin:6px 0;font-size:12.5px;}"
        ".rk-scenario-chain{margin:8px 0;font-size:13px;}"
        ".rk-scenario-chain summary{cursor:pointer;color:" + ACCENT + ";}"
        ".rk-scenario-chain strong{color:#455a64;}"
        ".rk-scenario-chain ul,.rk-scenario-fix ul{margin:4px 0 0 0;padding-left:18px;}"
        ".rk-scenario-chain li,.rk-scenario-fix li{margin:3px 0;line-height:1.45;}"
        ".rk-scenario-fix{font-size:13px;margin-top:6px;}"
        ".rk-scenario-fix strong{color:#455a64;}"
    ),
    "waivers": (
        "table.rk-waivers tr.rk-row-expired td{background:#fdecea;}"
        "table.rk-waivers .rk-expired-note{display:block;font-size:12px;font-weight:600;"
        "color:" + STATUS_COLOURS["fail"] + ";}"
    ),
    "changes": (
        ".rk-changes-head{margin:0 0 6px 0;}"
        ".rk-changes-counts{display:flex;flex-wrap:wrap;gap:8px 18px;margin:0 0 12px 0;}"
        ".rk-change{font-size:14px;}"
        ".rk-change-new strong{color:" + STATUS_COLOURS["fail"] + ";}"
        ".rk-change-resolved strong{color:" + STATUS_COLOURS["pass"] + ";}"
        ".rk-change-changed strong{color:" + STATUS_COLOURS["waived"] + ";}"
        "table.rk-changes{margin-top:8px;}"
        "table.rk-changes td.rk-check{white-space:nowrap;}"
        "table.rk-changes .rk-check-title{display:block;white-space:normal;font-size:12px;"
        "color:#607d8b;max-width:260px;}"
    ),
}
FRAGMENT_CSS: str = "\n".join(_CSS.values())
"""All fragment CSS; the report template includes it once."""


FRAGMENT_TEMPLATES = Path(__file__).parent / "report" / "templates" / "fragments"
"""The fragment templates (``*.html.j2``), shipped as package data."""


# --------------------------------------------------------------------------- Fragment
class Fragment(str):
    """An HTML string that Jupyter renders as HTML (and Jinja does not re-escape)."""

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": str(self)}

    def _repr_pretty_(self, printer, cycle) -> None:  # keep text/plain short in notebooks
        printer.text(f"<readiness_kit.html.Fragment: {len(self)} characters of HTML>")

    def __html__(self) -> str:
        return str(self)


def show(*fragments: str) -> None:
    """Display fragments (or any HTML strings built here) as one ``text/html`` output."""
    from IPython.display import display

    display({"text/html": "".join(str(f) for f in fragments)}, raw=True)


# --------------------------------------------------------------------------- helpers
def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    """A value as display text (the templates escape it)."""
    if _is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, np.integer):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple, set)):
        if isinstance(value, set):
            value = sorted(value, key=str)
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def _token(value: Any) -> str:
    """A safe CSS class token from a value (lower-case letters, digits, ``-`` and ``_``)."""
    return _SAFE_TOKEN.sub("-", _text(value).strip().lower()) or "unknown"


def _is_number(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and not _is_missing(value))


_PROVIDER = re.compile(r"/providers/[^/]+/(.+)$", re.IGNORECASE)
_RG = re.compile(r"^/subscriptions/[^/]+/resourcegroups/([^/]+)/?$", re.IGNORECASE)
_SUB = re.compile(r"^/subscriptions/([^/]+)/?$", re.IGNORECASE)


def short_subject(subject: Any) -> str:
    """A readable form of a subject: an Azure resource id becomes ``type/name`` (the part
    after the last ``/providers/<namespace>/``); other subjects are returned unchanged."""
    text = _text(subject)
    if not text.lower().startswith("/subscriptions/"):
        return text
    if match := _PROVIDER.search(text):
        return match.group(1).rstrip("/")
    if match := _RG.match(text):
        return f"resourceGroups/{match.group(1)}"
    if match := _SUB.match(text):
        return f"subscription {match.group(1)}"
    return text


def reference_links(references: Any) -> list[tuple[str, str]]:
    """Reference URLs (``; `` separated text or a list) as ``(url, host)`` pairs, http(s)
    URLs only (a ``javascript:`` or relative reference is dropped)."""
    if isinstance(references, (list, tuple, np.ndarray)):
        items = list(references)
    elif _is_missing(references):
        return []
    else:
        items = re.split(r"[;\s]+", _text(references))
    links = []
    for url in (str(u).strip() for u in items):
        if url and _URL.match(url):
            host = re.sub(r"^https?://", "", url, flags=re.IGNORECASE).split("/", 1)[0]
            links.append((url, host))
    return links


def _records(data: Any) -> list[dict]:
    if data is None:
        return []
    if isinstance(data, pd.DataFrame):
        return data.to_dict("records")
    if isinstance(data, Mapping):
        return [dict(data)]
    return [dict(r) for r in data]


def _get(row: Mapping, *keys: str, default: Any = None) -> Any:
    """The first present, non-missing value among ``keys``."""
    for key in keys:
        if key not in row:
            continue
        value = row[key]
        if isinstance(value, (list, tuple, np.ndarray)) or not _is_missing(value):
            return value
    return default


def _paragraphs(paragraphs: str | Iterable[str] | None) -> list[str]:
    if paragraphs is None:
        return []
    if isinstance(paragraphs, str):
        return [p for p in re.split(r"\n\s*\n", paragraphs) if p.strip()]
    return [str(p) for p in paragraphs if str(p).strip()]


# --------------------------------------------------------------------------- templates
class JoinLines(Extension):
    """Join template lines without the newline and indentation between them.

    Templates are laid out for reading; fragments stay compact (no stray text nodes between
    table cells). Whitespace inside a line is kept, so write a needed space within a line.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return "".join(line.strip() for line in source.splitlines())


@cache
def environment() -> jinja2.Environment:
    """The fragments' Jinja2 environment: autoescape on for every template, undefined names
    an error, and the display filters (``text``, ``token``, ``short_subject``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(FRAGMENT_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=[JoinLines],
    )
    env.filters.update(text=_text, token=_token, short_subject=short_subject)
    env.globals.update(
        status_labels=STATUS_LABELS, gate_labels=GATE_LABELS,
        # trusted constants, never evidence: the CSS goes in as written
        css={name: Markup(rules) for name, rules in _CSS.items()},
    )
    return env


def render(template: str, *, kind: str, styles: Sequence[str] = (), style: bool = True,
           **context: Any) -> Fragment:
    """Render ``fragments/<template>.html.j2`` as a fragment of ``kind``; its CSS blocks
    (``base`` plus ``styles``) lead it unless ``style`` is false."""
    names = ("base", *styles) if style else ()
    html = environment().get_template(f"{template}.html.j2").render(
        kind=kind, styles=names, **context)
    return Fragment(html)


def _note(kind: str, text: str, *styles: str, style: bool = True) -> Fragment:
    return render("note", kind=kind, styles=styles, style=style, text=text)


def _macro(name: str) -> Any:
    return getattr(environment().get_template("macros.html.j2").module, name)


def badge(label: Any, kind: str, value: Any, title: str | None = None) -> str:
    """``<span class="rk-badge rk-<kind>-<value>">label</span>`` (all escaped)."""
    return str(_macro("badge")(label, kind, value, title))


def severity_badge(severity: Any) -> str:
    return str(_macro("severity_badge")(severity))


def status_badge(status: Any) -> str:
    return str(_macro("status_badge")(status))


def gate_badge(gate: Any) -> str:
    return str(_macro("gate_badge")(gate))


# --------------------------------------------------------------------------- fragments
def verdict_callout(
    verdict: str,
    headline: str,
    paragraphs: str | Iterable[str] | None = (),
    *,
    title: str | None = None,
    style: bool = True,
) -> Fragment:
    """A verdict box: a coloured badge for ``verdict`` (a gate such as ``not_ready`` or a
    domain verdict such as ``demonstrated``), a one-line ``headline`` and paragraphs."""
    key = _token(verdict).replace("-", "_")
    tone = next((t for t, words in _TONES.items() if key in words), "neutral")
    label = GATE_LABELS.get(key, _text(verdict).replace("_", " ").capitalize())
    is_gate = key in GATES
    return render("callout", kind="callout", styles=("callout",), style=style,
                  tone=tone, title=title, headline=headline, label=label,
                  badge_kind="gate" if is_gate else "tone",
                  badge_value=key if is_gate else tone,
                  paragraphs=_paragraphs(paragraphs))


def risk_list(
    risks: pd.DataFrame | Iterable[Mapping] | None,
    *,
    max_subjects: int = 5,
    empty: str = "No open risks.",
    style: bool = True,
) -> Fragment:
    """Ranked risks: severity badge, the risk sentence, affected subjects, remediation.

    Each item is a mapping (or DataFrame row) with ``severity``, ``risk`` (or ``sentence`` /
    ``title``), ``subjects`` (list or text; or ``subject``), ``remediation`` and optionally
    ``check_id``, ``title`` and ``references``.
    """
    rows = _records(risks)
    if not rows:
        return _note("risks", empty, "risks", style=style)
    items = []
    for row in rows:
        subjects = _get(row, "subjects", "subject", default=[])
        if isinstance(subjects, str):
            subjects = [subjects]
        subjects = [s for s in list(subjects) if not _is_missing(s) and _text(s)]
        items.append({
            "severity": _get(row, "severity", default="info"),
            "sentence": _get(row, "risk", "sentence", "title", default=""),
            "check_id": _get(row, "check_id"),
            "title": _get(row, "title") if _get(row, "risk", "sentence") else None,
            "subjects": subjects[:max_subjects],
            "hidden": max(len(subjects) - max_subjects, 0),
            "remediation": _get(row, "remediation"),
            "refs": reference_links(_get(row, "references", default="")),
        })
    return render("risks", kind="risks", styles=("risks",), style=style, risks=items)


def _ordered(findings: pd.DataFrame) -> pd.DataFrame:
    status_rank = findings["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    severity_rank = findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    keys = pd.DataFrame({
        "_s": status_rank.fillna(len(STATUS_ORDER)).astype(int),
        "_v": severity_rank.fillna(len(SEVERITIES)).astype(int),
        "_c": findings["check_id"].astype(str),
        "_j": findings["subject"].astype(str),
    }, index=findings.index)
    order = keys.sort_values(["_s", "_v", "_c", "_j"], kind="stable").index
    return findings.loc[order]


def _waiver_note(row: Mapping) -> str:
    if _text(row["status"]) != "waived":
        return ""
    note = "Waived"
    if _text(row["waiver_owner"]):
        note += f" by {_text(row['waiver_owner'])}"
    if _text(row["waiver_expires"]):
        note += f" until {_text(row['waiver_expires'])}"
    if _text(row["waiver_reason"]):
        note += f": {_text(row['waiver_reason'])}"
    return note


#: Where the full list of a run's findings is, for every table that shows only examples.
FULL_LIST_NOTE = ("The full list is in findings.csv, findings.json and findings.parquet in "
                  "the run folder.")


def _status_counts(statuses: pd.Series) -> str:
    counts = statuses.value_counts()
    return ", ".join(f"{int(counts[s]):,} {STATUS_LABELS.get(s, s).lower()}"
                     for s in (*STATUS_ORDER, *sorted(set(counts.index) - set(STATUS_ORDER)))
                     if s in counts.index)


def _examples(df: pd.DataFrame, per_check: int) -> list[dict]:
    """The checks that show only their ``per_check`` worst subjects, with their counts."""
    cut = df.groupby("check_id", sort=True)["status"].agg(["size", _status_counts])
    cut = cut[cut["size"] > per_check]
    return [{"check_id": check, "size": f"{int(row['size']):,}",
             "counts": row["_status_counts"]} for check, row in cut.iterrows()]


def findings_table(
    findings: pd.DataFrame | None,
    *,
    caption: str | None = None,
    max_rows: int | None = None,
    per_check: int | None = None,
    remediation: bool = True,
    empty: str = "No findings.",
    style: bool = True,
    anchors: bool | Iterable[str] = True,
) -> Fragment:
    """Findings (the ``FINDING_COLUMNS`` frame) as a table sorted by status (fail, error,
    waived, not assessed, pass) then severity: check id and title, severity and status
    badges, subject (shortened Azure id, full id in ``title``), detail, remediation.

    ``per_check`` bounds the table at scale: a check with more subjects shows its worst
    ``per_check`` (failing first, then by subject), and a note under the table counts what
    each such check has in all and points at the findings files.

    The first row of each check carries the id :func:`check_anchor` (scenario cards link
    there): for every check (``anchors=True``), none, or only the check ids given."""
    if findings is None or len(findings) == 0:
        return _note("findings", empty, "table", "findings", style=style)
    df = findings.copy()
    for col in ("check_id", "severity", "status", "subject", "title", "detail", "remediation",
                "references", "waiver_reason", "waiver_owner", "waiver_expires"):
        if col not in df.columns:
            df[col] = None
    df = _ordered(df)
    examples: list[dict] = []
    if per_check is not None:
        kept = df.groupby("check_id", sort=False).cumcount() < per_check
        examples = _examples(df, per_check)
        df = df[kept.to_numpy()]
    total = len(df)
    if max_rows is not None:
        df = df.head(max_rows)
    rows = df.to_dict("records")
    wanted = None if anchors is True else set() if anchors is False else set(anchors)
    seen: set[str] = set()
    for row in rows:
        check_id = _text(row["check_id"])
        first = check_id not in seen and (wanted is None or check_id in wanted)
        seen.add(check_id)
        row["anchor"] = check_anchor(check_id) if first else ""
        row["waiver_note"] = _waiver_note(row)
        row["refs"] = reference_links(row["references"]) if remediation else []
    headers = ["Check", "Severity", "Status", "Subject", "Detail"]
    if remediation:
        headers.append("Remediation")
    return render("findings", kind="findings", styles=("table", "findings"), style=style,
                  caption=caption, headers=headers, rows=rows, total=total,
                  remediation=remediation, per_check=per_check, examples=examples,
                  full_list_note=FULL_LIST_NOTE)


def passes_summary(passed: pd.DataFrame, *, examples: int = 3, style: bool = True,
                   anchors: Iterable[str] = ()) -> Fragment:
    """Passing results counted per check rather than listed (for estates where they run to
    thousands): check id and title, number of passing subjects, a few of them. The checks
    in ``anchors`` carry their :func:`check_anchor` id (a scenario card links there)."""
    if passed is None or len(passed) == 0:
        return _note("findings", "No passing results.", "table", "findings", style=style)
    df = passed.assign(_j=passed["subject"].astype(str)).sort_values(
        ["check_id", "_j"], kind="stable")
    wanted = set(anchors)
    checks = [{"check_id": check, "title": group["title"].iloc[0] if "title" in group else "",
               "anchor": check_anchor(check) if check in wanted else "",
               "count": len(group), "subjects": group["subject"].head(examples).tolist()}
              for check, group in df.groupby("check_id", sort=True)]
    return render("passes", kind="findings", styles=("table", "findings"), style=style,
                  checks=checks, full_list_note=FULL_LIST_NOTE)


def _frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame()
    return pd.DataFrame(list(data))


def table(
    data: pd.DataFrame | pd.Series | Mapping | Sequence[Mapping] | None,
    *,
    columns: Sequence[str] | Mapping[str, str] | None = None,
    caption: str | None = None,
    index: bool | None = None,
    max_rows: int | None = None,
    empty: str = "Nothing to show.",
    style: bool = True,
) -> Fragment:
    """A generic table with every header and cell escaped.

    A mapping becomes a key/value table. A DataFrame (or list of mappings) becomes a table
    of ``columns`` (all by default; a mapping renames ``{column: header}``); its index is
    shown when ``index`` is true, or when it is not a plain range index and ``index`` is
    ``None``. Numbers are right-aligned.
    """
    if isinstance(data, Mapping):
        if not data:
            return _note("table", empty, "table", style=style)
        pairs = [(k, v, _is_number(v)) for k, v in data.items()]
        return render("key_values", kind="table", styles=("table",), style=style,
                      caption=caption, rows=pairs)
    df = _frame(data) if data is not None else pd.DataFrame()
    if df.empty:
        return _note("table", empty, "table", style=style)
    if columns is not None:
        names = dict(columns) if isinstance(columns, Mapping) else {c: c for c in columns}
        df = df[list(names)]
    else:
        names = {c: c for c in df.columns}
    if index is None:
        index = not isinstance(df.index, pd.RangeIndex)
    total = len(df)
    if max_rows is not None:
        df = df.head(max_rows)
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]
    headers = [(names[c], num) for c, num in zip(df.columns, numeric, strict=True)]
    rows = [(label, [(v, num or _is_number(v)) for v, num in zip(values, numeric, strict=True)])
            for label, values in zip(df.index, df.itertuples(index=False, name=None),
                                     strict=True)]
    return render("table", kind="table", styles=("table",), style=style, caption=caption,
                  index=index, headers=headers, rows=rows, total=total)


GAP_COLUMNS = {"source": "Source", "scope": "Scope", "table": "Evidence table",
               "what": "What could not be read", "reason": "Why"}


def gaps_table(gaps: pd.DataFrame | None, *, caption: str | None = "Collection gaps",
               style: bool = True) -> Fragment:
    """The collection gaps (``ev.gaps``): what a collector could not read, and why."""
    if gaps is None or len(gaps) == 0:
        return _note("gaps", "No collection gaps: every configured source was read.", "table",
                     style=style)
    cols = {c: h for c, h in GAP_COLUMNS.items() if c in gaps.columns}
    ordered = gaps.sort_values([c for c in ("source", "table", "scope") if c in gaps.columns],
                               kind="stable")
    return table(ordered.reset_index(drop=True), columns=cols, caption=caption, index=False,
                 style=style)


WAIVER_STATE_ORDER = ("malformed", "expired", "active", "unused")


def waivers_table(waivers: pd.DataFrame | None, *, caption: str | None = "Waivers",
                  style: bool = True) -> Fragment:
    """Declared waivers (``review.waivers``) with their state: ``active`` (applied),
    ``expired`` (flagged: no longer applied), ``unused`` (matched no failing finding) or
    ``malformed`` (an object annotation that could not be read, with what is wrong); the
    subject cell says where an annotation waiver was declared."""
    if waivers is None or len(waivers) == 0:
        return _note("waivers", "No waivers declared.", "table", "waivers", style=style)
    df = waivers.copy()
    for col in ("check_id", "subject", "reason", "owner", "expires", "state", "matched",
                "source", "problem"):
        if col not in df.columns:
            df[col] = None
    rank = df["state"].map({s: i for i, s in enumerate(WAIVER_STATE_ORDER)}).fillna(9)
    df = df.assign(_r=rank).sort_values(["_r", "expires", "check_id"], kind="stable")
    return render("waivers", kind="waivers", styles=("table", "waivers"), style=style,
                  caption=caption, rows=df.to_dict("records"))


def check_anchor(check_id: Any) -> str:
    """The HTML id of a check's first row in a findings table (``check-<id>``)."""
    return f"check-{_token(check_id)}"


FIGURE_LABELS = {"within": "Met", "tight": "Tight", "breach": "Missed", "unknown": "Unknown"}


def _figure_text(value: Any, unit: str) -> str:
    if _is_missing(value):
        return "none" if unit == "min" else "unknown"
    if unit == "yes/no":
        return "yes" if value else "no"
    if unit == "count":
        return _text(value)
    return f"{_text(value)} {unit}"


_FIGURE_ORDER = {"breach": 0, "unknown": 1, "tight": 2, "within": 3}


def _worst_figures(figures: list[dict], limit: int) -> tuple[list[dict], str]:
    """``figures`` as they are up to ``limit``; above, the ``limit`` worst (missed first,
    in their order) and a sentence counting the others by status."""
    if len(figures) <= limit:
        return figures, ""
    ranked = sorted(range(len(figures)),
                    key=lambda i: (_FIGURE_ORDER.get(figures[i]["status"], 1), i))
    shown = sorted(ranked[:limit])
    rest = pd.Series([figures[i]["status_label"] for i in ranked[limit:]],
                     dtype=object).value_counts()
    counts = ", ".join(f"{int(n):,} {str(label).lower()}" for label, n in rest.items())
    return ([figures[i] for i in shown],
            f"and {len(ranked) - limit:,} more figures ({counts}); every figure is in the "
            "run's summary.json.")


def scenario_cards(
    scenarios: Iterable[Mapping] | None,
    *,
    max_changes: int = 3,
    max_evidence: int = 5,
    max_figures: int = 12,
    empty: str = "No scenarios were assessed.",
    style: bool = True,
) -> Fragment:
    """One card per launch scenario. Each mapping carries ``id``, ``title``, ``question``,
    ``verdict`` (survives / at_risk / fails / not_assessed), ``reason``, ``figures`` (name,
    value, unit, target, status, basis), ``checks`` (check_id, title, outcome, and
    optionally failing) and ``to_change``; the chain links to :func:`check_anchor`.
    A scenario with more than ``max_figures`` figures (one per data store of a large
    estate) shows the worst of them and counts the rest by status."""
    from readiness_kit.scenarios.engine import VERDICT_LABELS

    cards = []
    for item in _records(scenarios):
        verdict = _text(item.get("verdict")) or "not_assessed"
        chain = [dict(c, anchor=check_anchor(c.get("check_id")),
                      failing=int(c.get("failing") or 0)) for c in item.get("checks") or []]
        concerns = [c for c in chain if c.get("outcome") != "pass"]
        outcomes = pd.Series([c.get("outcome") for c in chain], dtype=object).value_counts()
        summary = ", ".join(f"{int(n)} {STATUS_LABELS.get(k, k).lower()}"
                            for k, n in outcomes.items())
        figures = [{
            "name": f.get("name"), "status": f.get("status"), "basis": f.get("basis"),
            "status_label": FIGURE_LABELS.get(f.get("status"), f.get("status")),
            "achieved": _figure_text(f.get("value"), f.get("unit", "")),
            "target": "" if _is_missing(f.get("target")) else _figure_text(
                f.get("target"), f.get("unit", "")),
        } for f in item.get("figures") or []]
        figures, hidden_figures = _worst_figures(figures, max_figures)
        changes = list(item.get("to_change") or [])
        cards.append({
            "anchor": f"scenario-{_token(item.get('id'))}", "verdict": verdict,
            "verdict_label": VERDICT_LABELS.get(verdict, verdict),
            "tone": next((t for t, words in _TONES.items() if verdict in words), "neutral"),
            "title": item.get("title"), "question": item.get("question"),
            "reason": item.get("reason"), "figures": figures, "chain": chain,
            "chain_summary": summary, "evidence": concerns[:max_evidence],
            "hidden_evidence": max(len(concerns) - max_evidence, 0),
            "hidden_figures": hidden_figures,
            "to_change": changes[:max_changes],
            "hidden_changes": max(len(changes) - max_changes, 0),
        })
    if not cards:
        return _note("scenarios", empty, "scenarios", style=style)
    return render("scenarios", kind="scenarios", styles=("table", "scenarios"), style=style,
                  cards=cards)


CHANGE_GROUPS = (
    ("new", "new", "New since the last review", "Why new", "new findings"),
    ("resolved", "resolved", "Resolved since the last review", "How", "resolved findings"),
    ("changed", "changed status", "Still open, status changed", "Change", "status changes"),
    ("unchanged", "still open", None, "", "findings still open"),
)


def changes_view(record: Mapping | None, *, max_rows: int = 20, style: bool = True) -> Fragment:
    """Change since the last review from a run's changes.json record (see
    ``readiness_kit.changes``): counts, then at most ``max_rows`` examples of the new,
    resolved and changed findings (unchanged ones are counted: they are the open findings
    listed in the domain sections)."""
    if not record:
        return _note("changes", "No comparison: this review was not read from a saved run.",
                     "changes", style=style)
    if record.get("previous_error"):
        return _note("changes", f"No comparison with the previous run "
                     f"{record.get('previous_run_id')}: {record['previous_error']}", "changes",
                     style=style)
    if record.get("first_review"):
        return _note("changes", "First review: there is no earlier complete run of this "
                     "tenant to compare with.", "changes", style=style)
    counts = record.get("counts") or {}
    examples = record.get("examples") or {}
    groups = [{"key": key, "caption": caption, "reason_header": header, "what": what,
               "total": int(counts.get(key, 0)), "rows": list(examples.get(key) or [])[:max_rows]}
              for key, _label, caption, header, what in CHANGE_GROUPS if caption]
    return render("changes", kind="changes", styles=("table", "changes"), style=style,
                  previous_run_id=record.get("previous_run_id"),
                  previous_gate=record.get("previous_gate"), gate=record.get("gate"),
                  counts=[(key, label, int(counts.get(key, 0)))
                          for key, label, *_ in CHANGE_GROUPS],
                  groups=groups)
