"""What several security area modules share: constants, references and helpers."""

from __future__ import annotations

import pandas as pd

AKS = "microsoft.containerservice/managedclusters"
REDIS = "microsoft.cache/redis"
STORAGE = "microsoft.storage/storageaccounts"
KEY_VAULT = "microsoft.keyvault/vaults"


def _attribute_list(series: pd.Series) -> pd.Series:
    """``"a, b"`` from list cells (empty string for empty lists)."""
    return series.map(lambda v: ", ".join(str(x) for x in v) if isinstance(v, list) else "")
