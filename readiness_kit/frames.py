"""Vectorised helpers over evidence tables: the one place checks and charts read evidence.

Checks use these instead of looping over dicts: ``resources(ctx.ev, "microsoft.cache/redis")``
returns a DataFrame with parsed ``props``/``sku_obj``/``tags_obj``/``zones_list`` columns and
``dig(df.props, "highAvailability.mode")`` returns one value per row.

Each JSON column of a table is parsed once per ``Evidence`` (``Evidence.derived``) and then
filtered, so dozens of checks reading the same resources share one parse. Parsed dicts are
shared between callers: read them, never change them in place.

Sections: JSON columns (``dig``, ``resources``, ``k8s``, ``arm_details``), cells (``text``,
``truthy``, ``lower_id``...), collection gaps (``gaps_for``), attestations
(``attestation_frame``...), network exposure (private endpoints), Kubernetes pod templates
and containers, and setting lookups in ``pg_settings`` / ``odoo_config`` / ``redis_info``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd

from readiness_kit.evidence import Evidence

F = TypeVar("F", bound=Callable[..., Any])


def per_evidence(fn: F) -> F:
    """Compute ``fn(ev, *args)`` once per Evidence (``Evidence.derived``: dropped when a table
    is added, DataFrames handed out as shallow copies). For frames that several checks and
    charts derive from the same evidence; arguments are part of the key (Parameters by
    value)."""

    @functools.wraps(fn)
    def inner(ev: Evidence, *args: Any) -> Any:
        key = (f"{fn.__module__}.{fn.__qualname__}",
               *(a.model_dump_json() if hasattr(a, "model_dump_json") else a for a in args))
        return ev.derived(key, lambda: fn(ev, *args))

    return inner  # type: ignore[return-value]


# --- JSON columns --------------------------------------------------------------------------


def parse_json(series: pd.Series, default: Any = None) -> pd.Series:
    """Parse a JSON text column; empty/null cells become ``default``."""

    def _load(value: Any) -> Any:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
            return default
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return default

    return series.map(_load).astype(object)


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        lowered = {k.lower(): v for k, v in obj.items()}  # ARM keys are case-insensitive
        return lowered.get(key.lower())
    if isinstance(obj, list) and key.isdigit():
        idx = int(key)
        return obj[idx] if idx < len(obj) else None
    return None


def dig(series: pd.Series, path: str | Sequence[str], default: Any = None,
        sep: str = ".") -> pd.Series:
    """Follow a path into each object of ``series``: ``"a.b.0.c"`` (split on ``sep``), or a
    list of keys for keys that contain the separator, such as label and annotation names:
    ``dig(nodes["labels_obj"], ["kubernetes.azure.com/agentpool"])``."""
    keys = path.split(sep) if isinstance(path, str) else list(path)

    def _walk(obj: Any) -> Any:
        value = functools.reduce(_get, keys, obj)
        return default if value is None else value

    return series.map(_walk).astype(object)


def short_name(resource_id: pd.Series) -> pd.Series:
    return resource_id.fillna("").str.rstrip("/").str.split("/").str[-1]


def _parsed(ev: Evidence, table: str, columns: dict[str, tuple[str, Any]],
            extra: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> pd.DataFrame | None:
    """``table`` with its JSON columns parsed (``columns``: new column -> (source column,
    default for empty cells)), built once per Evidence; ``extra(frame)`` may add columns."""

    def build() -> pd.DataFrame | None:
        df = ev.table(table)
        if df is None:
            return None
        out = df.copy()
        for new, (col, default) in columns.items():
            out[new] = parse_json(out[col], default)
        return extra(out) if extra else out

    return ev.derived(("frames.parsed", table), build)


def resources(ev: Evidence, *types: str) -> pd.DataFrame | None:
    """ARG rows of the given (case-insensitive) types with parsed JSON columns.

    Returns ``None`` when ``azure_resources`` was not collected, so callers can tell
    "not collected" from "none of this type".
    """
    df = _parsed(ev, "azure_resources", {
        "props": ("properties", {}), "sku_obj": ("sku", {}), "tags_obj": ("tags", {}),
        "zones_list": ("zones", []), "identity_obj": ("identity", {})})
    if df is None:
        return None
    wanted = {t.lower() for t in types}
    out = df[df["type"].str.lower().isin(wanted)] if wanted else df
    return out.reset_index(drop=True)


def arm_details(ev: Evidence, detail_type: str) -> pd.DataFrame | None:
    df = _parsed(ev, "azure_arm_details", {"props": ("properties", {})})
    if df is None:
        return None
    return df[df["detail_type"].str.lower() == detail_type.lower()].reset_index(drop=True)


def _k8s_subject(out: pd.DataFrame) -> pd.DataFrame:
    ns = out["namespace"].fillna("")
    out["subject"] = out["kind"] + "/" + ns.where(ns != "", "-") + "/" + out["name"]
    return out


def k8s(ev: Evidence, *kinds: str) -> pd.DataFrame | None:
    """Kubernetes objects of the given kinds with parsed JSON and a ``subject`` column."""
    df = _parsed(ev, "k8s_objects", {f"{c}_obj": (c, {}) for c in
                                     ("labels", "annotations", "spec", "status")},
                 extra=_k8s_subject)
    if df is None:
        return None
    out = df[df["kind"].isin(kinds)] if kinds else df
    return out.reset_index(drop=True)


# --- cells -----------------------------------------------------------------------------------

TRUE_WORDS = frozenset({"true", "on", "yes", "1", "enabled"})
FALSE_WORDS = frozenset({"false", "off", "no", "0", "disabled"})


def text(series: pd.Series, default: str = "") -> pd.Series:
    """Cells as strings, with null cells replaced by ``default``."""
    s = series.astype(object)
    return s.where(s.notna(), default).astype(str)


def truthy(series: pd.Series) -> pd.Series:
    """True where a cell is a boolean true or a textual one ("true", "on", "Enabled")."""
    return series.astype(object).astype(str).str.strip().str.lower().isin(TRUE_WORDS)


def falsy(series: pd.Series) -> pd.Series:
    """True where a cell is a boolean false or a textual one ("false", "off", "Disabled")."""
    return series.astype(object).astype(str).str.strip().str.lower().isin(FALSE_WORDS)


def is_dict(value: object) -> bool:
    """For ``series.map(is_dict).astype(bool)`` after an ``explode`` of JSON lists."""
    return isinstance(value, dict)


def fmt(value: float) -> str:
    """A number for a sentence: 12, 4.3 -> "4.30"; NaN -> "?"."""
    if value != value:
        return "?"
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def join_sorted(values: pd.Series | Sequence) -> str:
    """``"a, b"``: the distinct non-empty values, sorted (for ``groupby(...).agg``)."""
    return ", ".join(sorted({str(v) for v in values if pd.notna(v) and str(v)}))


def lower_id(ids: pd.Series) -> pd.Series:
    """Resource ids compare case-insensitively in ARM: lower-case, no trailing slash."""
    return text(ids).str.lower().str.rstrip("/")


def parent_resource_id(ids: pd.Series) -> pd.Series:
    """The resource an ARM sub-resource id belongs to (diagnosticSettings, blobServices...)."""
    out = lower_id(ids).str.replace(
        r"/providers/microsoft\.insights/diagnosticsettings/[^/]+$", "", regex=True)
    return out.str.replace(r"/(blob|file|queue|table)services/[^/]+$", "", regex=True)


# --- collection gaps -------------------------------------------------------------------------


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


# --- attestations ----------------------------------------------------------------------------

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


def days_since(values: pd.Series, as_of) -> pd.Series:
    """Whole days from each date-like value to ``as_of`` (NaN when unparseable)."""
    when = pd.to_datetime(values.astype(object), errors="coerce", utc=True)
    return (pd.Timestamp(as_of, tz="UTC") - when).dt.days.astype(float)


# --- network exposure ------------------------------------------------------------------------

PRIVATE_ENDPOINT = "microsoft.network/privateendpoints"


def private_endpoint_targets(ev: Evidence) -> set[str]:
    """Lower-cased resource ids that a private endpoint resource connects to."""
    pe = resources(ev, PRIVATE_ENDPOINT)
    if pe is None or pe.empty:
        return set()
    links = (dig(pe["props"], "privateLinkServiceConnections", [])
             + dig(pe["props"], "manualPrivateLinkServiceConnections", []))
    targets = dig(links.explode().dropna(), "properties.privateLinkServiceId", "")
    return set(lower_id(targets)) - {""}


def has_private_endpoint(ev: Evidence, df: pd.DataFrame) -> pd.Series:
    """True where a resource (rows of ``resources()``) has an approved private endpoint
    connection of its own or is the target of a private endpoint resource."""
    conns = dig(df["props"], "privateEndpointConnections", []).explode()
    status = text(dig(conns, "properties.privateLinkServiceConnectionState.status", ""))
    approved = status.str.lower().eq("approved").groupby(level=0).any()
    return approved.reindex(df.index, fill_value=False) | lower_id(df["id"]).isin(
        private_endpoint_targets(ev))


# --- Kubernetes pod templates and containers -------------------------------------------------

#: Namespaces that belong to Kubernetes, AKS add-ons and the platform tool chain (policy,
#: CNI, GitOps controllers, certificates, backup) rather than to the shop. Workload checks
#: and the capacity model leave them out; every ``kube-*`` namespace counts too.
PLATFORM_NAMESPACES = frozenset({
    "kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "calico-system",
    "calico-apiserver", "tigera-operator", "kube-flannel", "app-routing-system", "aks-command",
    "azure-arc", "azure-extensions-usage-system", "azure-workload-identity-system",
    "dataprotection-microsoft", "flux-system", "argocd", "cert-manager",
})

#: Where each workload kind keeps its pod spec ("" for a Pod: its own spec).
POD_SPEC_PATHS = {
    "Deployment": "template.spec", "StatefulSet": "template.spec", "DaemonSet": "template.spec",
    "ReplicaSet": "template.spec", "Job": "template.spec",
    "CronJob": "jobTemplate.spec.template.spec", "Pod": "",
}


def is_system_namespace(namespace: pd.Series) -> pd.Series:
    """True for platform namespaces (``PLATFORM_NAMESPACES``) and every ``kube-*`` one."""
    ns = text(namespace)
    return ns.isin(PLATFORM_NAMESPACES) | ns.str.startswith("kube-")


def pod_specs(objs: pd.DataFrame) -> pd.Series:
    """The pod spec of each row of ``k8s()``: its pod template, a CronJob's job template's,
    a Pod's own spec ({} for kinds without one)."""
    template = dig(objs["spec_obj"], "template.spec", {})
    cron = dig(objs["spec_obj"], "jobTemplate.spec.template.spec", {})
    return template.where(objs["kind"].ne("CronJob"), cron).where(
        objs["kind"].ne("Pod"), objs["spec_obj"])


def pod_containers(objs: pd.DataFrame, *, init: bool = False) -> pd.DataFrame:
    """One row per container of each workload row (``initContainers`` first when ``init``):
    the columns of ``objs`` plus ``pod`` (the pod spec) and ``container`` (its dict)."""
    pod = pod_specs(objs)
    listed = dig(pod, "containers", [])
    if init:
        listed = dig(pod, "initContainers", []) + listed
    out = objs.assign(pod=pod, container=listed).explode("container", ignore_index=True)
    return out[out["container"].map(is_dict).astype(bool)].reset_index(drop=True)


def workload_pod_specs(ev: Evidence) -> pd.DataFrame | None:
    """Application workloads (every kind with a pod spec, outside platform namespaces) with
    their pod spec (``pod`` column); None if k8s_objects was not collected."""
    wl = k8s(ev, *POD_SPEC_PATHS)
    if wl is None:
        return None
    wl = wl[~is_system_namespace(wl["namespace"])].reset_index(drop=True)
    return wl.assign(pod=pod_specs(wl))


@per_evidence
def workload_containers(ev: Evidence) -> pd.DataFrame | None:
    """One row per (init)container of each application workload, with ``container``,
    ``container_name``, ``image`` and the pod-level ``pod`` spec."""
    wl = k8s(ev, *POD_SPEC_PATHS)
    if wl is None:
        return None
    out = pod_containers(wl[~is_system_namespace(wl["namespace"])],
                         init=True)
    out["container_name"] = text(dig(out["container"], "name", ""))
    out["image"] = text(dig(out["container"], "image", ""))
    return out


def image_parts(image: pd.Series) -> pd.DataFrame:
    """Split image references into registry, repository, tag and digest (vectorised).

    ``busybox`` is ``docker.io/library/busybox:latest``: no registry means Docker Hub and no
    tag means ``latest``, exactly as the container runtime resolves it.
    """
    img = text(image).str.strip()
    ref = text(img.str.split("@", n=1).str[0])
    digest = text(img.str.split("@", n=1).str[1])
    first = ref.str.split("/").str[0]
    has_registry = ref.str.contains("/", regex=False) & (
        first.str.contains(r"[.:]", regex=True) | first.eq("localhost"))
    registry = first.where(has_registry, "docker.io")
    path = ref.where(~has_registry, text(ref.str.split("/", n=1).str[1]))
    last = text(path.str.split("/").str[-1])
    tag = text(last.str.split(":", n=1).str[1])
    repository = path.str.rsplit(":", n=1).str[0].where(tag.ne(""), path)
    implicit = tag.eq("") & digest.eq("")
    return pd.DataFrame({
        "registry": registry.str.lower(),
        "repository": repository,
        "tag": tag.where(~implicit, "latest"),
        "tag_implicit": implicit,
        "digest": digest,
    })


# --- setting lookups -------------------------------------------------------------------------

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
