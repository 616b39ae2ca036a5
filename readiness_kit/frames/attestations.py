"""Attestations: interview answers as one row per key (``attestation_frame``) and their
outcome (``attested_outcome``)."""

from __future__ import annotations

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.core import text

#: Values an interview answer takes when the thing does not exist.
NEGATIVE_ANSWERS = frozenset({"", "none", "no", "n/a", "na", "false", "unknown", "tbd",
                              "nobody", "-", "nan", "null"})


def attestation_frame(ev: Evidence, *keys: str) -> pd.DataFrame:
    """One row per requested key (latest answer wins) from the ``attestations`` table.

    Columns of the table plus ``value`` (stripped text, "" when never answered), ``present``,
    ``negative`` (an answer that says the thing does not exist), ``subject``
    (``attestation:<key>``), ``by`` ("attested by X on D") and ``missing`` (the sentence for
    a key never answered).
    """
    table = ev.table("attestations")
    wanted = pd.DataFrame({"key": list(keys)})
    latest = (table.sort_values("attested_at", na_position="first", kind="stable")
              .drop_duplicates("key", keep="last"))
    df = wanted.merge(latest, on="key", how="left")
    df["value"] = text(df["value"]).str.strip()
    df["present"] = df["key"].isin(table["key"])
    df["negative"] = df["value"].str.lower().isin(NEGATIVE_ANSWERS)
    df["subject"] = "attestation:" + df["key"]
    df["by"] = ("attested by " + text(df["attested_by"], "unknown") + " on "
                + text(df["attested_at"], "unknown date"))
    df["missing"] = ("No attestation '" + df["key"]
                     + "' recorded: ask for it in the readiness interview.")
    return df


def attested_outcome(df: pd.DataFrame, passed: pd.Series, detail: pd.Series,
                     assessed: pd.Series | None = None) -> pd.DataFrame:
    """``outcome()`` for ``attestation_frame`` rows: keys never answered become not_assessed
    (with the ``missing`` sentence), and so do answers the check cannot judge (``assessed``
    False, with their own detail)."""
    from readiness_kit.checks.registry import outcome  # the registry imports the checks

    ok = df["present"] if assessed is None else df["present"] & assessed
    said = detail.astype(object).where(df["present"], df["missing"])
    return outcome(df["subject"], passed & ok, said, ok)
