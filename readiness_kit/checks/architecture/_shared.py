"""What several architecture area modules share: constants, references and helpers."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, outcome
from readiness_kit.frames import is_system_namespace

AKS = "microsoft.containerservice/managedclusters"
PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
SYSTEM_DATABASES = {"postgres", "azure_maintenance", "azure_sys", "template0", "template1"}
ODOO_DEPLOY = "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
AKS_BASELINE = ("https://learn.microsoft.com/azure/architecture/reference-architectures/"
                "containers/aks/baseline-aks")


def _nothing() -> pd.DataFrame:
    """No subjects: the engine reports "No <applies_to> found in the evidence."."""
    return outcome([], [], [])


def _ns_subject(namespace: pd.Series) -> pd.Series:
    return "Namespace/-/" + namespace.astype(str)


def _app_namespace(namespace: pd.Series) -> pd.Series:
    return ~is_system_namespace(namespace) & namespace.fillna("").ne("")


def _app_databases(ctx: CheckContext) -> pd.DataFrame | None:
    dbs = ctx.ev.table("pg_databases")
    if dbs is None:
        return None
    return dbs[~dbs["datname"].isin(SYSTEM_DATABASES)
               & ~dbs["is_template"].fillna(False).astype(bool)].reset_index(drop=True)
