"""User-facing errors: each names the file, the place and what was expected.

The CLI turns any ``ReadinessError`` into one readable message and exit code 2, never a
traceback. Code deeper down raises these instead of letting library errors escape.
"""

from __future__ import annotations

from pathlib import Path


class ReadinessError(Exception):
    """An error the user can fix; rendered as ``file: place: message``."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, where: str | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.where = where
        super().__init__(self.render())

    def render(self) -> str:
        parts = [p for p in (self.path, self.where) if p]
        return ": ".join([*parts, self.message])


class ParametersError(ReadinessError):
    """A parameters file that is not valid YAML or does not match the schema."""


class EvidenceError(ReadinessError):
    """An evidence bundle that is missing, malformed or fails its integrity check."""
