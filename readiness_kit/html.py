"""Small, escaping HTML fragments that notebooks display and the report styles.

Every builder escapes every value it is given (``html.escape``), so a subject named
``<img src=x onerror=alert(1)>`` is shown as text, never run. Builders return a
:class:`Fragment`: a ``str`` (easy to test and to concatenate) that Jupyter displays as
HTML. ``show(...)`` displays one or more fragments from anywhere in a cell.

Each fragment starts with a small ``<style data-rk-fragment="...">`` block so it looks right
in JupyterLab on its own; the report template carries the same CSS once (``FRAGMENT_CSS``)
and drops those per-fragment blocks.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from readiness_kit import GATES, SEVERITIES
from readiness_kit.charts.style import (
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
    "waivers_table",
]

# Order in which findings are listed: what needs action first.
STATUS_ORDER: tuple[str, ...] = ("fail", "error", "waived", "not_assessed", "pass")
STATUS_LABELS = {
    "pass": "Pass", "fail": "Fail", "not_assessed": "Not assessed", "error": "Error",
    "waived": "Waived",
}
GATE_LABELS = {"ready": "Ready", "conditional": "Conditional", "not_ready": "Not ready"}
WAIVER_COLOURS = {"active": STATUS_COLOURS["waived"], "expired": STATUS_COLOURS["fail"],
                  "unused": STATUS_COLOURS["not_assessed"]}
# Verdict words (gate or domain verdict) -> callout tone.
_TONES = {
    "good": {"ready", "pass", "passed", "demonstrated", "good", "ok", "green"},
    "warn": {"conditional", "partial", "partially_demonstrated", "at_risk", "warning",
             "waived", "amber"},
    "bad": {"not_ready", "blocked", "fail", "failed", "not_demonstrated", "critical", "error",
            "bad", "red"},
}
TONE_COLOURS = {"good": GATE_COLOURS["ready"], "warn": GATE_COLOURS["conditional"],
                "bad": GATE_COLOURS["not_ready"], "neutral": "#607d8b"}
_NUM = ' class="rk-num"'
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
    "waivers": (
        "table.rk-waivers tr.rk-row-expired td{background:#fdecea;}"
        "table.rk-waivers .rk-expired-note{display:block;font-size:12px;font-weight:600;"
        "color:" + STATUS_COLOURS["fail"] + ";}"
    ),
}
FRAGMENT_CSS: str = "\n".join(_CSS.values())
"""All fragment CSS; the report template includes it once."""


def _style(*kinds: str) -> str:
    return "".join(f'<style data-rk-fragment="{k}">{_CSS[k]}</style>' for k in ("base", *kinds))


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


def _fragment(kind: str, body: str, *style_kinds: str, style: bool = True) -> Fragment:
    css = _style(*style_kinds) if style else ""
    return Fragment(f'{css}<div class="rk-fragment rk-{kind}-fragment">{body}</div>')


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
    """A value as display text (not yet escaped)."""
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


def _esc(value: Any) -> str:
    return html.escape(_text(value), quote=True)


def _token(value: Any) -> str:
    """A safe CSS class token from a value (lower-case letters, digits, ``-`` and ``_``)."""
    return _SAFE_TOKEN.sub("-", _text(value).strip().lower()) or "unknown"


def _is_number(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and not _is_missing(value))


def badge(label: Any, kind: str, value: Any, title: str | None = None) -> str:
    """``<span class="rk-badge rk-<kind>-<value>">label</span>`` (all escaped)."""
    title_attr = f' title="{_esc(title)}"' if title else ""
    return (f'<span class="rk-badge rk-{_token(kind)}-{_token(value)}"{title_attr}>'
            f"{_esc(label)}</span>")


def severity_badge(severity: Any) -> str:
    return badge(_text(severity) or "unknown", "sev", severity)


def status_badge(status: Any) -> str:
    key = _text(status)
    return badge(STATUS_LABELS.get(key, key or "unknown"), "status", key)


def gate_badge(gate: Any) -> str:
    key = _text(gate)
    return badge(GATE_LABELS.get(key, key.replace("_", " ") or "unknown"), "gate", key)


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


def _subject_html(subject: Any) -> str:
    full = _text(subject)
    short = short_subject(full)
    if short == full:
        return f'<span class="rk-subject">{_esc(full)}</span>'
    return f'<span class="rk-subject" title="{_esc(full)}">{_esc(short)}</span>'


def _links(references: Any) -> str:
    """Reference URLs (``; `` separated text or a list) as escaped http(s) anchors only."""
    if isinstance(references, (list, tuple, np.ndarray)):
        items = list(references)
    elif _is_missing(references):
        return ""
    else:
        items = re.split(r"[;\s]+", _text(references))
    anchors = []
    for url in (str(u).strip() for u in items):
        if not url or not _URL.match(url):
            continue
        host = re.sub(r"^https?://", "", url, flags=re.IGNORECASE).split("/", 1)[0]
        anchors.append(f'<a href="{html.escape(url, quote=True)}" target="_blank" '
                       f'rel="noopener noreferrer">{html.escape(host)}</a>')
    return ", ".join(anchors)


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
    key = _token(verdict)
    tone = next((t for t, words in _TONES.items() if key.replace("-", "_") in words),
                "neutral")
    label = GATE_LABELS.get(key.replace("-", "_"), _text(verdict).replace("_", " ").capitalize())
    kind = "gate" if key.replace("-", "_") in GATES else "tone"
    value = key.replace("-", "_") if kind == "gate" else tone
    parts = [f'<div class="rk-callout rk-tone-{tone}" role="note">']
    if title:
        parts.append(f'<div class="rk-callout-title">{_esc(title)}</div>')
    parts.append(f'<div class="rk-callout-head">{badge(label, kind, value)}'
                 f'<span class="rk-callout-headline">{_esc(headline)}</span></div>')
    parts.extend(f"<p>{_esc(p)}</p>" for p in _paragraphs(paragraphs))
    parts.append("</div>")
    return _fragment("callout", "".join(parts), "callout", style=style)


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
        return _fragment("risks", f'<p class="rk-note">{_esc(empty)}</p>', "risks", style=style)
    items = []
    for row in rows:
        sentence = _get(row, "risk", "sentence", "title", default="")
        subjects = _get(row, "subjects", "subject", default=[])
        if isinstance(subjects, str):
            subjects = [subjects]
        subjects = [s for s in list(subjects) if not _is_missing(s) and _text(s)]
        shown = ", ".join(_subject_html(s) for s in subjects[:max_subjects])
        if len(subjects) > max_subjects:
            shown += f' <span class="rk-muted">and {len(subjects) - max_subjects} more</span>'
        check_id = _get(row, "check_id")
        title = _get(row, "title") if _get(row, "risk", "sentence") else None
        meta = []
        if check_id:
            meta.append(f"<strong>{_esc(check_id)}</strong>"
                        + (f" {_esc(title)}" if title else ""))
        if shown:
            meta.append(f"<strong>Affects:</strong> {shown}")
        item = [
            '<li class="rk-risk"><div class="rk-risk-head">',
            severity_badge(_get(row, "severity", default="info")),
            f'<span class="rk-risk-text">{_esc(sentence)}</span></div>',
        ]
        if meta:
            item.append(f'<div class="rk-risk-meta">{" &middot; ".join(meta)}</div>')
        remediation = _get(row, "remediation")
        refs = _links(_get(row, "references", default=""))
        if remediation or refs:
            item.append(f'<div class="rk-risk-fix"><strong>Remediation:</strong> '
                        f'{_esc(remediation)}'
                        + (f' <span class="rk-refs">Guidance: {refs}</span>' if refs else "")
                        + "</div>")
        item.append("</li>")
        items.append("".join(item))
    return _fragment("risks", f'<ol class="rk-risks">{"".join(items)}</ol>', "risks",
                     style=style)


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


def _more(total: int, shown: int, what: str) -> str:
    if total <= shown:
        return ""
    return f'<div class="rk-more">Showing {shown} of {total} {_esc(what)}.</div>'


#: Where the full list of a run's findings is, for every table that shows only examples.
FULL_LIST_NOTE = ("The full list is in findings.csv, findings.json and findings.parquet in "
                  "the run folder.")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _status_counts(statuses: pd.Series) -> str:
    counts = statuses.value_counts()
    return ", ".join(f"{int(counts[s]):,} {STATUS_LABELS.get(s, s).lower()}"
                     for s in (*STATUS_ORDER, *sorted(set(counts.index) - set(STATUS_ORDER)))
                     if s in counts.index)


def _examples_note(df: pd.DataFrame, per_check: int) -> str:
    """Which checks show only their ``per_check`` worst subjects: counts per status."""
    cut = df.groupby("check_id", sort=True)["status"].agg(["size", _status_counts])
    cut = cut[cut["size"] > per_check]
    if cut.empty:
        return ""
    items = "".join(
        f"<li><strong>{_esc(check)}</strong>: {per_check} of "
        f"{_plural(int(row['size']), 'subject')} shown ({_esc(row['_status_counts'])})</li>"
        for check, row in cut.iterrows())
    return (f'<div class="rk-more rk-examples">Checks with more than {per_check} subjects show '
            f"their {per_check} worst. {_esc(FULL_LIST_NOTE)}<ul>{items}</ul></div>")


def findings_table(
    findings: pd.DataFrame | None,
    *,
    caption: str | None = None,
    max_rows: int | None = None,
    per_check: int | None = None,
    remediation: bool = True,
    empty: str = "No findings.",
    style: bool = True,
) -> Fragment:
    """Findings (the ``FINDING_COLUMNS`` frame) as a table sorted by status (fail, error,
    waived, not assessed, pass) then severity: check id and title, severity and status
    badges, subject (shortened Azure id, full id in ``title``), detail, remediation.

    ``per_check`` bounds the table at scale: a check with more subjects shows its worst
    ``per_check`` (failing first, then by subject), and a note under the table counts what
    each such check has in all and points at the findings files."""
    if findings is None or len(findings) == 0:
        return _fragment("findings", f'<p class="rk-note">{_esc(empty)}</p>', "table",
                         "findings", style=style)
    df = findings.copy()
    for col in ("check_id", "severity", "status", "subject", "title", "detail", "remediation",
                "references", "waiver_reason", "waiver_owner", "waiver_expires"):
        if col not in df.columns:
            df[col] = None
    df = _ordered(df)
    examples = ""
    if per_check is not None:
        kept = df.groupby("check_id", sort=False).cumcount() < per_check
        examples = _examples_note(df, per_check)
        df = df[kept.to_numpy()]
    total = len(df)
    if max_rows is not None:
        df = df.head(max_rows)
    head = ["Check", "Severity", "Status", "Subject", "Detail"]
    if remediation:
        head.append("Remediation")
    rows = []
    for row in df.to_dict("records"):
        status = _text(row["status"])
        detail = _esc(row["detail"])
        if status == "waived":
            note = "Waived"
            if _text(row["waiver_owner"]):
                note += f" by {_text(row['waiver_owner'])}"
            if _text(row["waiver_expires"]):
                note += f" until {_text(row['waiver_expires'])}"
            if _text(row["waiver_reason"]):
                note += f": {_text(row['waiver_reason'])}"
            detail += f'<span class="rk-waiver-note">{_esc(note)}</span>'
        cells = [
            f'<td class="rk-check">{_esc(row["check_id"])}'
            + (f'<span class="rk-check-title">{_esc(row["title"])}</span>'
               if _text(row["title"]) else "") + "</td>",
            f"<td>{severity_badge(row['severity'])}</td>",
            f"<td>{status_badge(status)}</td>",
            f'<td class="rk-subject-cell">{_subject_html(row["subject"])}</td>',
            f'<td class="rk-detail">{detail}</td>',
        ]
        if remediation:
            fix = ""
            if status in ("fail", "error", "waived"):
                fix = _esc(row["remediation"])
                refs = _links(row["references"])
                if refs:
                    fix += f'<span class="rk-refs">Guidance: {refs}</span>'
            cells.append(f'<td class="rk-fix">{fix}</td>')
        rows.append(f'<tr class="rk-row-{_token(status)}">{"".join(cells)}</tr>')
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    thead = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = (f'<div class="rk-table-wrap"><table class="rk-table rk-findings">{cap}'
            f'<thead><tr>{thead}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            + _more(total, len(df), "findings") + examples)
    return _fragment("findings", body, "table", "findings", style=style)


def passes_summary(passed: pd.DataFrame, *, examples: int = 3, style: bool = True) -> Fragment:
    """Passing results counted per check rather than listed (for estates where they run to
    thousands): check id and title, number of passing subjects, a few of them."""
    if passed is None or len(passed) == 0:
        return _fragment("findings", '<p class="rk-note">No passing results.</p>', "table",
                         "findings", style=style)
    df = passed.assign(_j=passed["subject"].astype(str)).sort_values(
        ["check_id", "_j"], kind="stable")
    rows = []
    for check, group in df.groupby("check_id", sort=True):
        shown = ", ".join(_subject_html(s) for s in group["subject"].head(examples))
        if len(group) > examples:
            shown += f' <span class="rk-muted">and {len(group) - examples:,} more</span>'
        title = _text(group["title"].iloc[0]) if "title" in group else ""
        rows.append(f'<tr class="rk-row-pass"><td class="rk-check">{_esc(check)}'
                    + (f'<span class="rk-check-title">{_esc(title)}</span>' if title else "")
                    + f'</td><td class="rk-num">{len(group):,}</td>'
                    f'<td class="rk-subject-cell">{shown}</td></tr>')
    body = ('<div class="rk-table-wrap"><table class="rk-table rk-findings"><thead><tr>'
            '<th scope="col">Check</th><th scope="col" class="rk-num">Passing subjects</th>'
            '<th scope="col">For example</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>'
            f'<div class="rk-more">{_esc(FULL_LIST_NOTE)}</div>')
    return _fragment("findings", body, "table", "findings", style=style)


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
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    if isinstance(data, Mapping):
        rows = "".join(
            f'<tr><th scope="row">{_esc(k)}</th>'
            f'<td{_NUM if _is_number(v) else ""}>{_esc(v)}</td></tr>'
            for k, v in data.items())
        if not rows:
            return _fragment("table", f'<p class="rk-note">{_esc(empty)}</p>', "table",
                             style=style)
        body = (f'<div class="rk-table-wrap"><table class="rk-table rk-kv">{cap}<tbody>{rows}'
                "</tbody></table></div>")
        return _fragment("table", body, "table", style=style)
    df = _frame(data) if data is not None else pd.DataFrame()
    if df.empty:
        return _fragment("table", f'<p class="rk-note">{_esc(empty)}</p>', "table",
                         style=style)
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
    numeric = {c: pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns}
    head = (['<th scope="col"></th>'] if index else []) + [
        f'<th scope="col"{_NUM if numeric[c] else ""}>{_esc(names[c])}</th>'
        for c in df.columns]
    rows = []
    for idx, values in zip(df.index, df.itertuples(index=False, name=None), strict=True):
        cells = [f'<th scope="row">{_esc(idx)}</th>'] if index else []
        cells += [f'<td{_NUM if numeric[c] or _is_number(v) else ""}>{_esc(v)}</td>'
                  for c, v in zip(df.columns, values, strict=True)]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    body = (f'<div class="rk-table-wrap"><table class="rk-table">{cap}<thead><tr>'
            f'{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            + _more(total, len(df), "rows"))
    return _fragment("table", body, "table", style=style)


GAP_COLUMNS = {"source": "Source", "scope": "Scope", "table": "Evidence table",
               "what": "What could not be read", "reason": "Why"}


def gaps_table(gaps: pd.DataFrame | None, *, caption: str | None = "Collection gaps",
               style: bool = True) -> Fragment:
    """The collection gaps (``ev.gaps``): what a collector could not read, and why."""
    if gaps is None or len(gaps) == 0:
        return _fragment(
            "gaps", '<p class="rk-note">No collection gaps: every configured source was read.'
            "</p>", "table", style=style)
    cols = {c: h for c, h in GAP_COLUMNS.items() if c in gaps.columns}
    ordered = gaps.sort_values([c for c in ("source", "table", "scope") if c in gaps.columns],
                               kind="stable")
    return table(ordered.reset_index(drop=True), columns=cols, caption=caption, index=False,
                 style=style)


WAIVER_STATE_ORDER = ("expired", "active", "unused")


def waivers_table(waivers: pd.DataFrame | None, *, caption: str | None = "Waivers",
                  style: bool = True) -> Fragment:
    """Declared waivers (``review.waivers``) with their state: ``active`` (applied),
    ``expired`` (flagged: no longer applied) or ``unused`` (matched no failing finding)."""
    if waivers is None or len(waivers) == 0:
        return _fragment("waivers", '<p class="rk-note">No waivers declared.</p>', "table",
                         "waivers", style=style)
    df = waivers.copy()
    for col in ("check_id", "subject", "reason", "owner", "expires", "state", "matched"):
        if col not in df.columns:
            df[col] = None
    rank = df["state"].map({s: i for i, s in enumerate(WAIVER_STATE_ORDER)}).fillna(9)
    df = df.assign(_r=rank).sort_values(["_r", "expires", "check_id"], kind="stable")
    rows = []
    for row in df.to_dict("records"):
        state = _text(row["state"])
        note = ""
        if state == "expired":
            note = ('<span class="rk-expired-note">Expired on '
                    f'{_esc(row["expires"])}: no longer applied</span>')
        elif state == "unused":
            note = '<span class="rk-muted">Matches no failing finding</span>'
        matched = row["matched"]
        rows.append(
            f'<tr class="rk-row-{_token(state)}">'
            f"<td>{_esc(row['check_id'])}</td><td>{_subject_html(row['subject'])}</td>"
            f"<td>{_esc(row['reason'])}</td><td>{_esc(row['owner'])}</td>"
            f"<td>{_esc(row['expires'])}</td>"
            f"<td>{badge(state or 'unknown', 'waiver', state)}{note}</td>"
            f'<td class="rk-num">{_esc(matched)}</td></tr>')
    head = "".join(f'<th scope="col"{_NUM if h == "Matched" else ""}>{h}</th>'
                   for h in ("Check", "Subject", "Reason", "Owner", "Expires", "State",
                             "Matched"))
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    body = (f'<div class="rk-table-wrap"><table class="rk-table rk-waivers">{cap}'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return _fragment("waivers", body, "table", "waivers", style=style)

