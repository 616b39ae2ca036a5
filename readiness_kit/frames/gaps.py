"""Collection gaps: which gap covers a resource (``gaps_for``)."""

from __future__ import annotations

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.core import lower_id


def gaps_for(ev: Evidence, needle: str, ids: pd.Series) -> pd.Series:
    """Per resource id, the collection gap about ``needle`` that covers it (reason text).

    A gap naming a resource (``what`` holds its type/name path or id) covers that resource;
    a gap naming none covers every resource under its ``scope`` (subscription, resource
    group, ``*``). Resources no gap covers get None.
    """
    gaps = ev.gaps
    about = gaps["table"].fillna("") + " " + gaps["what"].fillna("")
    gaps = gaps[about.str.contains(needle, case=False, regex=False)]
    none = pd.Series(None, index=ids.index, dtype=object)
    if gaps.empty or ids.empty:
        return none
    scope = gaps["scope"].fillna("*").astype(str).str.strip().str.lower().str.rstrip("/")
    scope = scope.where(scope.str.startswith("/") | scope.isin(["", "*"]),
                        "/subscriptions/" + scope)
    g = pd.DataFrame({"what": gaps["what"].fillna("").astype(str).str.lower(), "scope": scope,
                      "reason": gaps["what"].fillna("") + ": " + gaps["reason"].fillna("")})
    rid = lower_id(ids)
    r = pd.DataFrame({"pos": range(len(ids)), "rid": rid.tolist(),
                      "path": rid.str.extract(r"/providers/(.+)$", expand=False).fillna(rid)
                      .tolist()})
    pairs = r.merge(g, how="cross")
    named = pairs["what"].str.contains(r"microsoft\.|/subscriptions/", regex=True)
    hits_named = [p in w for p, w in zip(pairs["path"], pairs["what"], strict=True)]
    in_scope = [s in ("", "*") or i == s or i.startswith(s + "/")
                for s, i in zip(pairs["scope"], pairs["rid"], strict=True)]
    applies = pd.Series(hits_named, index=pairs.index).where(
        named, pd.Series(in_scope, index=pairs.index))
    first = pairs[applies.astype(bool)].drop_duplicates("pos").set_index("pos")["reason"]
    return pd.Series(range(len(ids)), index=ids.index).map(first).astype(object)
