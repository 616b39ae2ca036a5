"""Core readers: once-per-Evidence caching (``per_evidence``, ``parsed_table``), JSON columns
(``parse_json``, ``dig``) and cells (``text``, ``truthy``, ``fmt``, ``lower_id``...)."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector back while a burst of acyclic containers is built.

    Parsing 20,000 Kubernetes objects allocates millions of dicts and lists; each one counts
    towards the next collection, and every full collection walks all of them again, which
    costs two to four times the parse itself. Parsed JSON holds no reference cycles, so
    nothing is left for the collector to find."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_json(value: Any, default: Any, exact: bool) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return default
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value) if exact else orjson.loads(value)
    except json.JSONDecodeError:  # orjson's error is a JSONDecodeError too
        if exact:
            return default
        return _load_json(value, default, True)


#: A run of 19 digits: a number orjson would read as a float where ``json`` keeps an int
#: (beyond 64 bits), so a text holding one is read by ``json``.
_LONG_NUMBER = r"[0-9]{19}"


def _long_numbers(series: pd.Series) -> np.ndarray:
    arrow = series.array
    if not hasattr(arrow, "_pa_array"):
        arrow = [v if isinstance(v, str) else None for v in series.tolist()]
    found = pc.match_substring_regex(pa.array(arrow, type=pa.large_string()), _LONG_NUMBER)
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def parse_json(series: pd.Series, default: Any = None) -> pd.Series:
    """Parse a JSON text column; empty/null cells become ``default``.

    orjson reads the cells (several times faster than ``json`` at estate scale); the few
    it refuses or would read differently (``NaN``, integers beyond 64 bits) are read by
    ``json``, so the result is exactly what ``json.loads`` gives."""
    exact = _long_numbers(series) if len(series) else np.zeros(0, dtype=bool)
    with gc_paused():
        values = [_load_json(v, default, e) for v, e in zip(series.tolist(), exact.tolist(),
                                                             strict=True)]
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return pd.Series(out, index=series.index, dtype=object)


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        wanted, found = key.lower(), None  # ARM keys are case-insensitive
        for k, v in obj.items():  # the last spelling wins, as in a lower-cased copy
            if k.lower() == wanted:
                found = v
        return found
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
    return series.map(lambda obj: dig_one(obj, keys, default)).astype(object)


def dig_one(obj: Any, path: str | Sequence[str], default: Any = None, sep: str = ".") -> Any:
    """``dig`` for one object (a row's parsed ``props`` in a loop over rows)."""
    keys = path.split(sep) if isinstance(path, str) else path
    value = functools.reduce(_get, keys, obj)
    return default if value is None else value


def short_name(resource_id: pd.Series) -> pd.Series:
    return resource_id.fillna("").str.rstrip("/").str.split("/").str[-1]


def parsed_table(ev: Evidence, table: str, columns: dict[str, tuple[str, Any]],
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


def joined_by(keys: pd.Series, values: pd.Series,
              join: Callable[[list], str] = join_sorted) -> dict:
    """``{key: join(its values)}``: ``groupby(keys)[values].agg(join)`` as a dict, in one
    Python pass (pandas calls ``join`` through a sub-Series per group, which at 20,000
    workloads costs more than the check). Null keys are left out, as groupby does."""
    groups: dict = {}
    for key, value in zip(keys.tolist(), values.tolist(), strict=True):
        if key is not None and key == key:
            groups.setdefault(key, []).append(value)
    return {key: join(vals) for key, vals in groups.items()}


def lower_id(ids: pd.Series) -> pd.Series:
    """Resource ids compare case-insensitively in ARM: lower-case, no trailing slash."""
    return text(ids).str.lower().str.rstrip("/")


def days_since(values: pd.Series, as_of) -> pd.Series:
    """Whole days from each date-like value to ``as_of`` (NaN when unparseable)."""
    when = pd.to_datetime(values.astype(object), errors="coerce", utc=True)
    return (pd.Timestamp(as_of, tz="UTC") - when).dt.days.astype(float)


_NO_KEY = "\x00"  # the group of rows whose key cell is empty: only "every row" selects it


def _group_positions(keys: pd.Series, lower: bool) -> dict[str, np.ndarray]:
    k = keys.astype(object).where(keys.notna(), None)
    k = pd.Series([_NO_KEY if v is None else (str(v).lower() if lower else v) for v in k],
                  dtype=object)
    return {key: np.asarray(pos) for key, pos in k.groupby(k.to_numpy()).indices.items()}


def parsed_rows(ev: Evidence, table: str, columns: dict[str, tuple[str, Any]], by: str,
                values: Iterable[str] | None = None, *, lower: bool = False,
                parsed: Sequence[str] | None = None) -> pd.DataFrame | None:
    """Rows of ``table`` whose ``by`` cell is one of ``values`` (every row when None; compared
    lower-cased when ``lower``), in table order, with JSON columns parsed (``columns``: new
    column -> (source column, default for empty cells); only those named in ``parsed`` when
    given).

    Each JSON column is parsed once per Evidence *per group of rows* (per resource type, per
    Kubernetes kind), the first time a reader asks for that group: a check about PostgreSQL
    servers never pays for parsing 30,000 disks, and the next check reading them pays
    nothing. None when the table was not collected."""
    df = ev.table(table)
    if df is None:
        return None
    groups = ev.derived(("frames.groups", table, by, lower),
                        lambda: _group_positions(df[by], lower))
    if values is None:
        keys = list(groups)
    else:
        wanted = dict.fromkeys(str(v).lower() if lower else v for v in values)
        keys = [k for k in wanted if k in groups]
    pos = (np.sort(np.concatenate([groups[k] for k in keys])) if keys
           else np.empty(0, dtype=np.intp))
    out = df.iloc[pos].reset_index(drop=True)
    for new, (col, default) in columns.items():
        if parsed is not None and new not in parsed:
            continue
        cells = np.empty(len(pos), dtype=object)
        for k in keys:
            rows = groups[k]
            chunk = ev.derived(("frames.parsed_rows", table, by, lower, k, new),
                               lambda rows=rows, col=col, default=default:
                               parse_json(df[col].iloc[rows], default).to_numpy())
            cells[np.searchsorted(pos, rows)] = chunk
        out[new] = pd.Series(cells, index=out.index, dtype=object)
    return out
