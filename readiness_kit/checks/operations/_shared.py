"""What several operations area modules share: constants, references and helpers."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from readiness_kit.checks.registry import CheckContext
from readiness_kit.frames import attestation_frame, attested_outcome

AKS = "microsoft.containerservice/managedclusters"
PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
STORAGE = "microsoft.storage/storageaccounts"
REDIS = "microsoft.cache/redis"
KEY_VAULT = "microsoft.keyvault/vaults"
LABELS = {AKS: "AKS", PG_FLEX: "PostgreSQL", REDIS: "Redis", STORAGE: "Storage",
          KEY_VAULT: "Key Vault"}
AMON = "https://learn.microsoft.com/azure/azure-monitor/"


def _label(types: pd.Series) -> pd.Series:
    return types.map(LABELS).fillna(types)


def _attested(ctx: CheckContext, key: str,
              good: Callable[[pd.DataFrame], pd.Series] | None = None,
              what: str = "") -> pd.DataFrame:
    df = attestation_frame(ctx.ev, key)
    ok = ~df["negative"] if good is None else good(df)
    detail = (what + df["value"] + " (" + df["by"] + ")").where(
        ok, what + df["value"].replace("", "none") + ": not an answer that shows it exists ("
        + df["by"] + ")")
    return attested_outcome(df, ok, detail)
