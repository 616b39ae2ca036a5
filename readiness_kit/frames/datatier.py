"""Readers over the live data-tier tables: PostgreSQL settings as quantities in base units,
client sessions, per-database subjects, Odoo versions and odoo.conf roles.

Subjects: ``postgres:<server>/<setting>``, ``postgres:<server>/db:<database>``,
``postgres:<server>/role:<role>``, ``odoo:<server>/<database>`` for an Odoo database,
``redis:<instance>``, ``odoo:<option> (<file>)`` for odoo.conf.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.core import text
from readiness_kit.frames.settings import setting_values

#: pg_settings units -> factor to bytes or seconds.
PG_UNITS = {"B": 1, "kB": 1024, "8kB": 8192, "16kB": 16384, "MB": 1024**2, "16MB": 16 * 1024**2,
            "GB": 1024**3, "us": 1e-6, "ms": 1e-3, "s": 1, "min": 60, "h": 3600, "d": 86400}


def pg_quantity(ev: Evidence, name: str) -> pd.DataFrame | None:
    """One row per server of ``pg_settings``: ``server``, ``raw`` (setting text, None when
    the server does not report it), ``unit``, ``value`` (float, in bytes for memory and
    seconds for time; NaN when not numeric), ``subject``. None when not collected."""
    pgs = ev.table("pg_settings")
    if pgs is None:
        return None
    servers = pd.Series(sorted(text(pgs["server"]).unique()), dtype=object)
    hit = pgs[text(pgs["name"]).str.lower().eq(name.lower())].drop_duplicates("server")
    hit = hit.set_index("server")
    raw = servers.map(hit["setting"])
    unit = servers.map(hit["unit"])
    number = pd.to_numeric(raw, errors="coerce")
    value = number * unit.map(PG_UNITS).fillna(1.0)
    return pd.DataFrame({"server": servers, "raw": raw, "unit": unit,
                         "value": value.astype(float),
                         "subject": "postgres:" + servers + "/" + name})


def pg_human(value: pd.Series, unit: pd.Series) -> pd.Series:
    """Quantities from ``pg_quantity`` as text: 16MB, 1GB, 30s, 0 (disabled)..."""
    def one(v: float, u: str | None) -> str:
        if v != v:
            return "?"
        if u and (u.endswith("B")):
            for size, suffix in ((1024**3, "GB"), (1024**2, "MB"), (1024, "kB")):
                if v >= size and v % size == 0:
                    return f"{v / size:g}{suffix}"
            return f"{v:g}B"
        if u in PG_UNITS:
            for size, suffix in ((3600, "h"), (60, "min"), (1, "s")):
                if v >= size and v % size == 0:
                    return f"{v / size:g}{suffix}"
            return f"{v * 1000:g}ms"
        return f"{v:g}"
    return pd.Series([one(v, u) for v, u in zip(value, unit, strict=True)], index=value.index,
                     dtype=object)


def client_sessions(ev: Evidence) -> pd.DataFrame | None:
    """``pg_activity`` rows of client backends other than this toolkit's own sessions."""
    act = ev.table("pg_activity")
    if act is None:
        return None
    client = text(act["backend_type"], "client backend").eq("client backend")
    return act[client & text(act["application_name"]).ne("readiness-kit")]


def pg_server_rows(ev: Evidence) -> pd.DataFrame | None:
    """``pg_server`` with a ``subject`` (``postgres:<server>``)."""
    srv = ev.table("pg_server")
    if srv is None:
        return None
    return srv.assign(subject="postgres:" + text(srv["server"]))


def db_subject(df: pd.DataFrame, prefix: str = "postgres") -> pd.Series:
    """``postgres:<server>/db:<datname>`` (``odoo:<server>/<datname>`` with prefix odoo)."""
    sep = "/db:" if prefix == "postgres" else "/"
    return prefix + ":" + text(df["server"]) + sep + text(df["datname"])


def odoo_major(version: pd.Series) -> pd.Series:
    """``17.0.1.3`` / ``saas~17.2`` -> 17.0 / 17.2 (float; NaN when unknown)."""
    found = text(version).str.extract(r"(?:saas~)?(\d+)\.(\d+)")
    return pd.to_numeric(found[0] + "." + found[1], errors="coerce")


def odoo_sources(ev: Evidence) -> pd.DataFrame | None:
    """One row per odoo.conf source: every ``[options]`` option as a column (lower-case),
    plus ``role`` (``cron`` for a file whose name says cron or that disables HTTP,
    ``http_enable = False``; else ``web``) and ``subject_suffix`` (`` (<file>)`` when
    several files were read). None when odoo_config was not collected."""
    wide = setting_values(ev, "odoo_config")
    if wide is None:
        return None
    wide = wide.copy()
    http = text(wide["http_enable"] if "http_enable" in wide else pd.Series(
        None, index=wide.index, dtype=object), "True").str.strip().str.lower()
    cron = wide["source"].str.contains("cron", case=False) | http.isin(
        ["false", "0", "no", "off"])
    wide["role"] = np.where(cron, "cron", "web")
    wide["subject_suffix"] = (" (" + wide["source"] + ")") if len(wide) > 1 else ""
    return wide


def option(wide: pd.DataFrame, key: str) -> pd.Series:
    """An option column of ``odoo_sources`` (None where a file does not set it)."""
    return wide[key] if key in wide else pd.Series(None, index=wide.index, dtype=object)


def listed(found: pd.Series, prefix: str, none: str) -> pd.Series:
    """``prefix + found`` where a check found something, else ``none`` (``found`` may be
    all NaN, whatever its dtype)."""
    return pd.Series(np.where(found.notna(), prefix + found.astype(object).fillna("")
                              .astype(str), none), index=found.index, dtype=object)
