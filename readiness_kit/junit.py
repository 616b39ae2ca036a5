"""The review as JUnit XML, and the gate as a CI pass/fail decision.

CI systems (GitHub Actions, Azure Pipelines, GitLab, Jenkins) all read JUnit XML, so a
run's ``junit.xml`` shows each check as a test: one suite per domain, a failing check as a
failure naming its worst subjects, a check without evidence as skipped. The file stays
small at any estate size: each check lists at most ``MAX_SUBJECTS`` failing subjects and
points to findings.csv for the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from readiness_kit import DOMAINS, GATES
from readiness_kit.review import Review

#: Failing subjects named per check in a failure's text; the rest are counted.
MAX_SUBJECTS = 20
#: A message attribute is one line in a CI summary; longer details are cut.
MAX_MESSAGE = 300

#: Exit code of a run whose gate is at or below ``--fail-on``. Distinct from 2 (input
#: errors: parameters, evidence; these win over 3, since the gate of a run that could not
#: read its inputs means nothing) and 1 (unexpected errors), so a pipeline can tell "the
#: platform is not ready" from "the review did not run".
GATE_FAILED_EXIT = 3

# Characters XML 1.0 cannot carry at all, not even escaped (ElementTree writes them as they
# are, which leaves a file no parser reads).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def gate_fails(gate: str, fail_on: str) -> bool:
    """Whether a run with ``gate`` fails a pipeline that stops at ``fail_on``.

    ``GATES`` runs from best to worst: ``fail_on="not_ready"`` fails only a not_ready
    gate, ``fail_on="conditional"`` fails conditional and not_ready. ``fail_on="ready"``
    is refused: it would fail every run.
    """
    allowed = GATES[1:]
    if fail_on not in allowed:
        raise ValueError(f"--fail-on: expected one of {', '.join(allowed)}, got {fail_on!r}")
    if gate not in GATES:
        raise ValueError(f"gate: expected one of {', '.join(GATES)}, got {gate!r}")
    return GATES.index(gate) >= GATES.index(fail_on)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _NOT_XML.sub("\ufffd", str(value))


def _message(value: object) -> str:
    text = " ".join(_text(value).split())
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def _subject_lines(rows: pd.DataFrame, total: int) -> str:
    lines = [f"{_text(s)}: {_text(d)}" if _text(d) else _text(s)
             for s, d in zip(rows["subject"], rows["detail"], strict=True)]
    if total > len(lines):
        lines.append(f"... and {total - len(lines)} more (findings.csv)")
    return "\n".join(lines)


def _check_table(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per check, by check id: domain, severity, title and subjects per status."""
    keys = findings["check_id"].astype(str)
    meta = findings[["domain", "severity", "title"]].groupby(keys, sort=True).first()
    counts = pd.crosstab(keys, findings["status"].astype(str))
    for status in ("pass", "fail", "not_assessed", "error", "waived"):
        if status not in counts.columns:
            counts[status] = 0
    table = meta.join(counts, how="left").fillna(0)
    table["subjects"] = findings.groupby(keys, sort=True).size()
    return table


def _first_rows(findings: pd.DataFrame, status: str, n: int) -> dict[str, pd.DataFrame]:
    """Per check, the first ``n`` subjects with ``status`` (by subject), column-wise."""
    rows = findings.loc[findings["status"] == status, ["check_id", "subject", "detail"]]
    rows = rows.assign(check_id=rows["check_id"].astype(str),
                       subject=rows["subject"].map(_text))
    rows = rows.sort_values(["check_id", "subject"], kind="stable")
    head = rows.groupby("check_id", sort=False).head(n)
    return {cid: group for cid, group in head.groupby("check_id", sort=False)}


def junit_tree(findings: pd.DataFrame, *, tenant: str, gate: str,
               run_id: str = "") -> ET.ElementTree:
    """The findings as a JUnit ``<testsuites>`` tree: one suite per domain of ``DOMAINS``,
    one test case per check (by check id). A check fails when any subject fails (waived
    subjects do not), errs when any subject could not be checked, and is skipped when no
    subject was assessed at all."""
    table = _check_table(findings)
    failing = _first_rows(findings, "fail", MAX_SUBJECTS)
    erring = _first_rows(findings, "error", MAX_SUBJECTS)
    unassessed = _first_rows(findings, "not_assessed", 1)

    root = ET.Element("testsuites", name=_text(f"readiness {tenant}"))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for position, domain in enumerate(DOMAINS):
        checks = table[table["domain"] == domain]
        suite = ET.SubElement(root, "testsuite", name=domain)
        if position == 0:
            props = ET.SubElement(suite, "properties")
            for key, value in (("tenant", tenant), ("gate", gate), ("run_id", run_id)):
                ET.SubElement(props, "property", name=key, value=_text(value))
        counts = {"tests": len(checks), "failures": 0, "errors": 0, "skipped": 0}
        for cid, row in checks.iterrows():
            case = ET.SubElement(suite, "testcase", classname=f"readiness.{domain}",
                                 name=_text(f"{cid} {_text(row['title'])}".strip()))
            subjects, fails, errors = int(row["subjects"]), int(row["fail"]), int(row["error"])
            if fails:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", type=_text(row["severity"]),
                                        message=f"{fails} of {subjects} subjects fail")
                failure.text = _subject_lines(failing[cid], fails)
            elif errors:
                counts["errors"] += 1
                error = ET.SubElement(case, "error", type="error",
                                      message=f"{errors} of {subjects} subjects could not "
                                              "be checked")
                error.text = _subject_lines(erring[cid], errors)
            skipped = not (fails or errors or int(row["pass"])) and int(row["not_assessed"])
            if skipped:
                counts["skipped"] += 1
                first = unassessed[cid].iloc[0]
                ET.SubElement(case, "skipped", message=_message(
                    f"not assessed: {_text(first['detail']) or _text(first['subject'])}"))
            notes = [f"{int(row['waived'])} waived"] if int(row["waived"]) else []
            if int(row["not_assessed"]) and not skipped:
                notes.append(f"{int(row['not_assessed'])} not assessed")
            if notes:
                ET.SubElement(case, "system-out").text = (
                    f"{subjects} subjects: " + ", ".join(notes) + " (findings.csv)")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    return ET.ElementTree(root)


def write_junit(source: Review | pd.DataFrame, path: str | Path, *, run_id: str = "",
                tenant: str | None = None, gate: str | None = None) -> Path:
    """Write ``source`` (a Review, or a findings frame with ``tenant`` and ``gate``) to
    ``path`` as JUnit XML (UTF-8, indented, the same bytes for the same findings)."""
    if isinstance(source, Review):
        findings = source.findings
        tenant = source.params.tenant if tenant is None else tenant
        gate = source.gate if gate is None else gate
    else:
        findings = source
    if tenant is None or gate is None:
        raise ValueError("write_junit: a findings frame needs tenant= and gate=")
    tree = junit_tree(findings, tenant=tenant, gate=gate, run_id=run_id)
    ET.indent(tree)
    target = Path(path)
    tree.write(target, encoding="utf-8", xml_declaration=True)
    return target
