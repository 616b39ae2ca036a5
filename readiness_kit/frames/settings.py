"""Setting lookups in the long key/value tables: ``setting_values`` over ``pg_settings`` /
``redis_info`` / ``odoo_config``, ``pg_setting`` (with the ARM server parameters) and
``odoo_setting``."""

from __future__ import annotations

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.azure import arm_details
from readiness_kit.frames.core import dig, short_name, text

#: Long key/value tables: table -> (one row per, key column, value column).
SETTING_TABLES = {
    "pg_settings": ("server", "name", "setting"),
    "redis_info": ("instance", "key", "value"),
    "odoo_config": ("source", "key", "value"),
}


def _pivot(df: pd.DataFrame, group: str, key: str, value: str) -> pd.DataFrame:
    wide = df.pivot_table(index=group, columns=key, values=value, aggfunc="first")
    wide.columns.name = None
    return wide.reset_index()


def setting_values(ev: Evidence, table: str, *keys: str) -> pd.DataFrame | None:
    """One row per server / instance / odoo.conf source of ``table`` (a ``SETTING_TABLES``
    name) with one column per requested key (every key when none is named), None where a
    group does not report it. Keys match case-insensitively; odoo.conf options outside
    ``[options]`` are ignored and a row without a source counts as ``odoo.conf``. None when
    the table was not collected."""
    group, key, value = SETTING_TABLES[table]

    def build() -> pd.DataFrame | None:
        df = ev.table(table)
        if df is None:
            return None
        if table == "odoo_config":
            df = df.assign(source=text(df["source"], "odoo.conf"))
        groups = sorted(df[group].dropna().unique())  # every group, even one without the key
        df = df.assign(**{key: text(df[key]).str.strip().str.lower()})
        if table == "odoo_config":
            df = df[text(df["section"], "options").str.strip().str.lower().eq("options")]
        df = df[df[key].ne("")]
        if df.empty:
            return pd.DataFrame({group: pd.Series(groups, dtype=object)})
        wide = _pivot(df, group, key, value).set_index(group).reindex(groups)
        return wide.rename_axis(group).reset_index()

    wide = ev.derived(("frames.setting_values", table), build)
    if wide is None or not keys:
        return wide
    return wide.reindex(columns=[group, *(k.lower() for k in keys)]).astype(
        {k.lower(): object for k in keys})
#: The tables ``pg_setting`` reads, for a check's ``requires_any``.
PG_PARAMETER_TABLES = ("pg_settings", "azure_arm_details")


def pg_setting(ev: Evidence, name: str) -> pd.DataFrame | None:
    """One PostgreSQL server parameter per server: from ``pg_settings``, else from the ARM
    ``configurations`` of the flexible server (servers pg_settings does not cover).

    Columns: server, value (text, "" when empty), source (``pg_settings`` | ``server
    parameters (ARM)``), subject (``postgres:<server>/<name>``). None when neither source
    was collected. Servers that do not report the parameter have no row.
    """
    rows = []
    pgs = setting_values(ev, "pg_settings", name)
    if pgs is not None:
        hit = pgs[pgs[name.lower()].notna()]
        rows.append(pd.DataFrame({"server": text(hit["server"]),
                                  "value": text(hit[name.lower()]), "source": "pg_settings"}))
    cfg = arm_details(ev, "configurations")
    if cfg is not None:
        cfg = cfg[text(cfg["name"]).str.lower().eq(name.lower())]
        # resource_id is the server's id or the configuration's own (.../configurations/x)
        server = short_name(text(cfg["resource_id"]).str.replace(
            r"/configurations/[^/]+/?$", "", regex=True, case=False))
        rows.append(pd.DataFrame({"server": server, "value": text(dig(cfg["props"], "value", "")),
                                  "source": "server parameters (ARM)"}))
    if not rows:
        return None
    out = pd.concat(rows, ignore_index=True)
    host = out["server"].str.split(".").str[0].str.lower()
    out = out[~host.duplicated()].reset_index(drop=True)  # pg_settings wins over ARM
    out["subject"] = "postgres:" + out["server"] + "/" + name
    return out


def odoo_setting(ev: Evidence, option: str) -> pd.DataFrame | None:
    """One row per odoo.conf source: ``source``, ``value`` (None if the option is absent)
    and ``subject`` (``odoo:<option>``, with the source when several files were read).
    None when odoo_config was not collected.

    Secret options arrive as '<redacted>'; callers only test them for presence."""
    wide = setting_values(ev, "odoo_config", option)
    if wide is None:
        return None
    suffix = (" (" + wide["source"] + ")") if len(wide) > 1 else ""
    return pd.DataFrame({"source": wide["source"], "value": wide[option.lower()],
                         "subject": "odoo:" + option + suffix})
