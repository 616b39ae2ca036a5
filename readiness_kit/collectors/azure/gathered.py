"""What one Azure collection gathered: resource rows, ARM details and gaps, in one place.

Live and offline readers fill the same ``Gathered``; ``add_to`` turns it into evidence
tables with their provenance. A table with no rows is left out (``not collected``), with
the gap that says why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from readiness_kit.collectors.azure.rows import RowShapeError, arm_detail_record, normalise_arg_row
from readiness_kit.evidence import Evidence, TableProvenance, evidence_from_records

SOURCE = "azure"
#: Refused rows named one by one per file or page; past this, one gap counts the rest.
NAMED_REFUSALS = 20


@dataclass
class Gathered:
    resources: list[dict] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)
    gaps: list[dict] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    detail_queries: list[str] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)

    def gap(self, scope: str, table: str, what: str, reason: str) -> None:
        self.gaps.append({"source": SOURCE, "scope": scope, "table": table, "what": what,
                          "reason": reason})

    def extend(self, other: Gathered) -> None:
        self.resources.extend(other.resources)
        self.details.extend(other.details)
        self.gaps.extend(other.gaps)
        self.queries.extend(other.queries)
        self.detail_queries.extend(other.detail_queries)
        self.refused.update(other.refused)

    def add_row(self, row: object, arg_table: str | None, where: str) -> bool:
        """Normalise one ARG row; a row not of ARM's shape becomes a gap naming it."""
        rid = row.get("id") if isinstance(row, dict) else None
        try:
            if not isinstance(row, dict) or not rid or not row.get("type"):
                raise RowShapeError("id", 'an object with at least "id" and "type"', row)
            self.resources.append(normalise_arg_row(row, arg_table))
            return True
        except RowShapeError as exc:
            self.refused[where] += 1
            if self.refused[where] <= NAMED_REFUSALS:
                self.gap(rid or "*", "azure_resources", f"row {rid or '(no id)'} in {where}",
                         f"refused: {exc} (not the shape ARM returns)")
            return False

    def add_detail(self, body: object, resource_id: str | None, where: str) -> None:
        try:
            if not isinstance(body, dict):
                raise RowShapeError("body", "a JSON object", body)
            self.details.append(arm_detail_record(body, resource_id))
        except RowShapeError as exc:
            self.gap(resource_id or "*", "azure_arm_details", f"body in {where}",
                     f"refused: {exc} (not the shape ARM returns)")

    def finish(self) -> None:
        """One gap per file or page for the refused rows past the first few named."""
        for where, count in self.refused.items():
            if count > NAMED_REFUSALS:
                self.gap("*", "azure_resources", f"{count - NAMED_REFUSALS} more rows in {where}",
                         "refused for fields not of the shape ARM returns (first "
                         f"{NAMED_REFUSALS} named above)")
        self.refused.clear()

    def add_to(self, ev: Evidence, collector: str) -> None:
        tables = {"azure_resources": (self.resources, self.queries),
                  "azure_arm_details": (self.details, self.detail_queries)}
        for name, (records, queries) in tables.items():
            if not records:
                continue
            part = evidence_from_records({name: records})
            ev.add(name, part.tables[name], TableProvenance(
                source=SOURCE, collector=collector, query="\n".join(queries)))
        self.finish()
        for g in self.gaps:
            ev.add_gap(g["source"], g["scope"], g["table"], g["what"], g["reason"])
