"""Recognise and remove secret values before they reach evidence, findings or reports.

Collectors redact at the source; ``write_bundle`` calls ``assert_no_secrets`` as the last
line of defence, and findings details pass through ``redact_text``.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness_kit.errors import EvidenceError

REDACTED = "<redacted>"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("JWT / bearer token",
     re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+")),
    ("password in connection string",
     re.compile(r"(?i)\b(password|pwd|accountkey|sharedaccesskey)\s*=\s*[^;\s'\"]{3,}")),
    ("credentials in URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]{3,}@")),
    ("SAS signature", re.compile(r"(?i)[?&]sig=[A-Za-z0-9%+/=]{16,}")),
    ("JSON secret value",
     re.compile(r"(?i)\"[a-z_]*(password|secret|token|apikey|accountkey)\"\s*:\s*\"[^\"<]{3,}\"")),
]


def _scoped(pattern: str) -> str:
    """A pattern as one group of an alternation: a leading ``(?i)`` becomes ``(?i:...)``."""
    return f"(?i:{pattern[4:]})" if pattern.startswith("(?i)") else f"(?:{pattern})"


#: Every pattern in one RE2 alternation, for a columnar first pass with pyarrow.
_ANY_SECRET = "|".join(_scoped(p.pattern) for _, p in _PATTERNS)


def secret_candidates(values: pd.Series) -> pd.Series:
    """True where a cell of a text column may hold a secret: the one-pass RE2 match of every
    pattern, plus every non-ASCII cell (where RE2's and Python's word boundaries and case
    folding may differ). A superset of the cells ``find_secret`` names, computed without a
    Python loop; callers confirm the candidates with ``find_secret`` / ``redact_text``."""
    strings = pa.array([v if isinstance(v, str) else None for v in values.tolist()],
                       type=pa.string())
    hits = pc.or_(pc.match_substring_regex(strings, _ANY_SECRET),
                  pc.invert(pc.string_is_ascii(strings)))
    return pd.Series(hits.fill_null(False).to_numpy(zero_copy_only=False), index=values.index)


#: Below this many cells ``redact_series`` runs ``redact_text`` on each text cell directly:
#: cheaper than building the Arrow array, and the same result (``redact_text`` leaves a
#: cell that is not a candidate unchanged).
_SMALL = 32


def redact_series(values: pd.Series) -> pd.Series:
    """``redact_text`` over a text column, running Python only on the candidate cells."""
    out = values.astype(object).copy()
    if len(out) <= _SMALL:
        return out.map(lambda v: redact_text(v) if isinstance(v, str) else v)
    hit = secret_candidates(values)
    if hit.any():
        out[hit] = out[hit].map(redact_text)
    return out


def find_secret(text: str) -> str | None:
    """Name the kind of secret ``text`` seems to hold, or ``None``."""
    for kind, pattern in _PATTERNS:
        if pattern.search(text):
            return kind
    return None


def redact_text(text: str) -> str:
    """Replace every secret-looking run in ``text`` with ``<redacted>``."""
    out = text
    for _, pattern in _PATTERNS:
        out = pattern.sub(REDACTED, out)
    return out


def assert_no_secrets(df: pd.DataFrame, *, where: str) -> None:
    """Raise if any text cell of ``df`` looks like it holds a secret value."""
    for column in df.columns:
        series = df[column]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        series = series.dropna()
        for row, value in series[secret_candidates(series)].items():
            if isinstance(value, str) and (kind := find_secret(value)):
                raise EvidenceError(
                    f"refusing to write a {kind} (row {row}, column {column!r}); "
                    "collectors must redact secrets at the source",
                    where=where,
                )
