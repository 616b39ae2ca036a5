"""Figure builders the scenario modules share (capacity headroom, recovery, counts)."""

from __future__ import annotations

import math

from readiness_kit.scenarios.engine import Figure, Inputs

_CAPACITY_STATUS = {"insufficient": "breach", "tight": "tight", "sufficient": "within"}


def headroom_figures(inputs: Inputs) -> list[Figure]:
    """One figure per capacity-model row: headroom at the peak factor (0 % is the floor)."""
    model = inputs.capacity
    figures = []
    for row in model.itertuples():
        value = None if row.headroom_pct is None or math.isnan(row.headroom_pct) \
            else round(float(row.headroom_pct), 1)
        status = _CAPACITY_STATUS.get(row.verdict, "unknown")
        if value is None:
            basis = f"{row.resource}: the peak could not be worked out ({row.explanation})"
        else:
            basis = (f"{row.resource}: the peak needs {row.peak_demand:g} {row.unit} against "
                     f"{row.capacity:g} available ({value:g} % headroom)")
        figures.append(Figure(name=f"Headroom at peak: {row.resource}", value=value, unit="%",
                              status=status, basis=basis, target=0.0,
                              target_name="targets.peak_multiplier"))
    return figures


def recovery_figures(inputs: Inputs, scope: str) -> list[Figure]:
    """RPO and RTO achieved per store for ``scope`` (``local`` or ``regional``)."""
    where = "in another region" if scope == "regional" else "restored in place"
    figures = []
    for row in inputs.recovery[inputs.recovery["scope"] == scope].itertuples():
        for what, target_name in (("rpo", "targets.rpo_minutes"), ("rto", "targets.rto_minutes")):
            value = getattr(row, f"{what}_minutes")
            value = None if value is None or math.isnan(value) else float(value)
            target = float(getattr(row, f"{what}_target"))
            shown = "none" if value is None else f"{value:g} min"
            summary = (f"{row.store} {what.upper()} {where} is {shown} against a target of "
                       f"{target:g} min")
            figures.append(Figure(
                name=f"{row.store} {what.upper()} {where}", value=value, unit="min",
                status=getattr(row, f"{what}_status"), target=target, target_name=target_name,
                summary=summary, basis=f"{summary}: {getattr(row, f'{what}_basis')}"))
    return figures


def failing_count(inputs: Inputs, check_id: str, name: str, what: str) -> Figure:
    """How many subjects fail ``check_id`` (0 is the target)."""
    row = inputs.outcomes[inputs.outcomes["check_id"] == check_id]
    if row.empty or row.iloc[0]["outcome"] == "not_assessed":
        return Figure(name=name, value=None, unit="count", status="unknown", target=0.0,
                      basis=f"{what} could not be counted ({check_id} was not assessed)")
    n = inputs.failing_subjects(check_id)
    return Figure(name=name, value=float(n), unit="count",
                  status="within" if n == 0 else "tight", target=0.0,
                  basis=f"{n} {what} ({check_id})")
