"""Recognise and remove secret values before they reach evidence, findings or reports.

Collectors redact at the source; ``write_bundle`` calls ``assert_no_secrets`` as the last
line of defence, and findings details pass through ``redact_text``.
"""

from __future__ import annotations

import re

import pandas as pd

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
        for row, value in series.dropna().items():
            if isinstance(value, str) and (kind := find_secret(value)):
                raise EvidenceError(
                    f"refusing to write a {kind} (row {row}, column {column!r}); "
                    "collectors must redact secrets at the source",
                    where=where,
                )
