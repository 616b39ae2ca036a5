"""The check engine: metadata + function, run with isolation, results as findings rows.

A check is declared with ``@check(...)`` next to a short function that takes a
``CheckContext`` and returns one row per subject (``outcome(...)``). The engine adds the
metadata, turns missing evidence into ``not_assessed`` and a raising check into ``error``
so that the others go on.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from readiness_kit import DOMAINS, SEVERITIES
from readiness_kit.evidence import Evidence
from readiness_kit.frames.azure import mark_malformed
from readiness_kit.impact import CAPABILITIES, capabilities_for
from readiness_kit.params import Parameters
from readiness_kit.redaction import redact_series

Severity = Literal["critical", "high", "medium", "low", "info"]
Basis = Literal["observed", "attested"]

RESULT_COLUMNS = ["subject", "status", "detail"]
FINDING_COLUMNS = [
    "check_id", "domain", "severity", "status", "subject", "title", "detail", "risk",
    "rationale", "remediation", "references", "evidence_basis", "evidence_tables",
    "waiver_reason", "waiver_owner", "waiver_expires", "capabilities",
]


@dataclass(frozen=True)
class CheckContext:
    """What a check may read: the evidence, the engagement parameters and the review date."""

    ev: Evidence
    params: Parameters
    as_of: dt.date


@dataclass(frozen=True)
class Check:
    id: str
    domain: str
    severity: Severity
    title: str
    rationale: str
    remediation: str
    risk: str
    applies_to: str
    requires: tuple[str, ...]
    requires_any: tuple[str, ...]
    references: tuple[str, ...]
    basis: Basis
    func: Callable[[CheckContext], pd.DataFrame] = field(compare=False, repr=False)
    capabilities: tuple[str, ...] = ()  # business capabilities a failure endangers

    def metadata(self) -> dict:
        return {
            "id": self.id, "domain": self.domain, "severity": self.severity,
            "title": self.title, "rationale": self.rationale, "remediation": self.remediation,
            "risk": self.risk, "applies_to": self.applies_to, "requires": list(self.requires),
            "requires_any": list(self.requires_any),
            "references": list(self.references), "evidence_basis": self.basis,
            "module": self.func.__module__, "function": self.func.__name__,
            "capabilities": list(self.capabilities),
        }


REGISTRY: dict[str, Check] = {}


def check(
    *,
    id: str,
    domain: str,
    severity: Severity,
    title: str,
    rationale: str,
    remediation: str,
    risk: str,
    applies_to: str,
    requires: Iterable[str] = (),
    requires_any: Iterable[str] = (),
    references: Iterable[str] = (),
    basis: Basis = "observed",
    capabilities: Iterable[str] | None = None,
) -> Callable[[Callable[[CheckContext], pd.DataFrame]], Callable[[CheckContext], pd.DataFrame]]:
    """Register a check. ``risk`` is the business consequence of a failure, in words a board
    reads ("a zone outage stops order capture"); ``applies_to`` names the subjects
    ("PostgreSQL flexible servers") for the sentence shown when there are none.
    ``requires`` lists tables that must all be collected; ``requires_any`` tables of which
    at least one must be (e.g. ``pg_settings`` or the ARM server parameters).
    ``capabilities`` names the business capabilities a failure endangers
    (``readiness_kit.impact.CAPABILITIES``); by default they come from the one mapping in
    ``readiness_kit.impact`` (by the id's area, with per-check overrides)."""
    if domain not in DOMAINS:
        raise ValueError(f"{id}: domain {domain!r} is not one of {DOMAINS}")
    if severity not in SEVERITIES:
        raise ValueError(f"{id}: severity {severity!r} is not one of {SEVERITIES}")
    endangered = tuple(capabilities) if capabilities is not None else capabilities_for(id)
    unknown = sorted(set(endangered) - set(CAPABILITIES))
    if unknown:
        raise ValueError(f"{id}: unknown capabilities {unknown}; known: {sorted(CAPABILITIES)}")

    def register(func: Callable[[CheckContext], pd.DataFrame]):
        if id in REGISTRY and REGISTRY[id].func.__qualname__ != func.__qualname__:
            raise ValueError(f"duplicate check id {id}")
        REGISTRY[id] = Check(
            id=id, domain=domain, severity=severity, title=title, rationale=rationale,
            remediation=remediation, risk=risk, applies_to=applies_to,
            requires=tuple(requires), requires_any=tuple(requires_any),
            references=tuple(references), basis=basis, func=func, capabilities=endangered,
        )
        return func

    return register


def outcome(
    subject: pd.Series | Iterable[str],
    passed: pd.Series | Iterable[bool],
    detail: pd.Series | Iterable[str],
    assessed: pd.Series | Iterable[bool] | None = None,
) -> pd.DataFrame:
    """Build a check's result: one row per subject with pass / fail / not_assessed."""
    subject = pd.Series(_values(subject), dtype=object)
    passed_s = pd.Series(_values(passed), dtype=object).fillna(False).astype(bool)
    status = passed_s.map({True: "pass", False: "fail"})
    if assessed is not None:
        assessed_s = pd.Series(_values(assessed), dtype=object).fillna(False).astype(bool)
        status = status.where(assessed_s, "not_assessed")
    return pd.DataFrame(
        {"subject": subject.astype(str), "status": status,
         "detail": pd.Series(_values(detail), dtype=object).astype(str)}
    )


def _values(values: pd.Series | pd.Index | np.ndarray | Iterable) -> list:
    """The cells as a list (``tolist`` for pandas and numpy: iterating an Arrow-backed
    column cell by cell costs far more)."""
    return values.tolist() if hasattr(values, "tolist") else list(values)


def not_assessed(detail: str, subject: str = "*") -> pd.DataFrame:
    return pd.DataFrame([{"subject": subject, "status": "not_assessed", "detail": detail}])


def _validated(result: object, chk: Check) -> pd.DataFrame:
    if not isinstance(result, pd.DataFrame) or not set(RESULT_COLUMNS) <= set(result.columns):
        raise TypeError(f"{chk.id} must return a DataFrame with columns {RESULT_COLUMNS}")
    bad = set(result["status"].tolist()) - {"pass", "fail", "not_assessed"}
    if bad:
        raise ValueError(f"{chk.id} returned unknown statuses {sorted(bad)}")
    if result.empty:
        return not_assessed(f"No {chk.applies_to} found in the evidence.")
    return result[RESULT_COLUMNS].copy()


def run_check(chk: Check, ctx: CheckContext) -> pd.DataFrame:
    missing = [t for t in chk.requires if not ctx.ev.has(t)]
    if chk.requires_any and not any(ctx.ev.has(t) for t in chk.requires_any):
        missing.append(" or ".join(chk.requires_any))
    if missing:
        result = not_assessed(
            "Evidence not collected: " + ", ".join(missing) + " (see collection gaps).",
            subject="evidence:" + ",".join(missing),
        )
    else:
        try:
            result = _validated(chk.func(ctx), chk)
            if "azure_resources" in (*chk.requires, *chk.requires_any):
                result = mark_malformed(result, ctx.ev)
        except Exception as exc:  # noqa: BLE001 - a failing check must not stop the others
            last = traceback.extract_tb(exc.__traceback__)[-1]
            result = pd.DataFrame([{
                "subject": "*", "status": "error",
                "detail": f"Check raised {type(exc).__name__}: {exc} "
                          f"({last.filename.rsplit('/', 1)[-1]}:{last.lineno})",
            }])
    meta = {
        "check_id": chk.id, "domain": chk.domain, "severity": chk.severity,
        "title": chk.title, "risk": chk.risk, "rationale": chk.rationale,
        "remediation": chk.remediation, "references": "; ".join(chk.references),
        "evidence_basis": chk.basis,
        "evidence_tables": ", ".join([*chk.requires, *chk.requires_any]),
        "capabilities": "; ".join(chk.capabilities),
    }
    n = len(result)
    # One frame built at once: inserting the 14 metadata columns one by one cost more than
    # most checks themselves.
    return pd.DataFrame({
        "subject": redact_series(result["subject"]).to_numpy(),
        "status": result["status"].to_numpy(),
        "detail": redact_series(result["detail"]).to_numpy(),
        **{key: [value] * n for key, value in meta.items()},
        **{key: [None] * n for key in ("waiver_reason", "waiver_owner", "waiver_expires")},
    }, index=result.index)


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS})


def run_checks(
    ctx: CheckContext, checks: Iterable[Check] | None = None,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Run checks (all registered by default) and return the findings table. ``timings``,
    when given, receives each check's wall time in seconds (a shared frame is paid for by
    the first check that reads it)."""
    selected = list(checks) if checks is not None else list(REGISTRY.values())
    frames = []
    for c in sorted(selected, key=lambda c: c.id):
        start = time.perf_counter()
        frames.append(run_check(c, ctx))
        if timings is not None:
            timings[c.id] = time.perf_counter() - start
    if not frames:
        return empty_findings()
    findings = pd.concat(frames, ignore_index=True)[FINDING_COLUMNS]
    return findings.astype(object).where(findings.notna(), None)
