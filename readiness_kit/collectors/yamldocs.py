"""Multi-document YAML (and JSON) files read one document at a time, each error located.

Manifests folders, Helm-rendered output (``---`` plus ``# Source:`` comments), ``kubectl get
-o yaml`` dumps and CI pipeline files all pass through here. A file is split on its ``---``
document markers and each document parsed on its own, so one broken document is reported
with its index, line and Helm source template while the documents around it are still read.

Scalars are resolved as the Kubernetes API machinery resolves them, except timestamps:
they stay the text the file wrote (``2026-11-25T08:58:03Z``), exactly as the API server
returns them in JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextTimestampLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader (libyaml when present) that keeps timestamps as strings."""


TextTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

_MARKER = re.compile(r"^---(?:\s|$)")
_SOURCE = re.compile(r"^#\s*Source:\s*(\S+)")


@dataclass(frozen=True)
class Document:
    index: int          # 1-based position in the file
    line: int           # 1-based line where the document starts
    data: Any
    source: str | None  # Helm's "# Source: chart/templates/x.yaml", if any


@dataclass(frozen=True)
class DocumentError:
    path: Path
    index: int
    line: int
    source: str | None
    problem: str

    def where(self) -> str:
        place = f"document {self.index} (line {self.line}"
        place += f", {self.source})" if self.source else ")"
        return place

    def render(self) -> str:
        return f"{self.path}: {self.where()}: {self.problem}"


def _chunks(text: str) -> list[tuple[int, str, str | None]]:
    """(start line, text, Helm source) of each ``---``-separated document."""
    out: list[tuple[int, str, str | None]] = []
    start, lines, source = 1, [], None
    for n, line in enumerate(text.splitlines(keepends=True), start=1):
        if _MARKER.match(line):
            out.append((start, "".join(lines), source))
            rest = line[3:]
            if rest.strip():  # "--- # comment" / "--- !tag": keep it on the document's line
                start, lines = n, [" " * 3 + rest]
            else:
                start, lines = n + 1, []
            source = None
            continue
        hit = _SOURCE.match(line)
        if hit:
            source = hit.group(1)
        lines.append(line)
    out.append((start, "".join(lines), source))
    return out


def _problem(exc: yaml.YAMLError, offset: int) -> tuple[int | None, str]:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    return (offset + mark.line if mark else None), text


def read_documents(path: Path) -> tuple[list[Document], list[DocumentError]]:
    """Every non-empty document of ``path`` and an error for each one that does not parse.

    A ``.json`` file is one document (``kubectl get -o json`` output)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [DocumentError(path, 1, 1, None, f"cannot read file: {exc}")]
    if path.suffix.lower() == ".json":
        try:
            return [Document(1, 1, json.loads(text), None)], []
        except json.JSONDecodeError as exc:
            return [], [DocumentError(path, 1, exc.lineno, None,
                                      f"not valid JSON: {exc.msg} (column {exc.colno})")]
    docs: list[Document] = []
    errors: list[DocumentError] = []
    index = 0
    for start, chunk, source in _chunks(text):
        if not chunk.strip() or all(not ln.strip() or ln.lstrip().startswith("#")
                                    for ln in chunk.splitlines()):
            continue
        index += 1
        try:
            data = yaml.load(chunk, Loader=TextTimestampLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            line, problem = _problem(exc, start)
            errors.append(DocumentError(path, index, line or start, source, problem))
            continue
        if data is not None:
            docs.append(Document(index, start, data, source))
    return docs, errors


def load_yaml_file(path: Path) -> Any:
    """The single document of a YAML file (a CI definition, a kustomization...).

    Raises ``DocumentFileError`` naming the file and the line."""
    docs, errors = read_documents(path)
    if errors:
        raise DocumentFileError(errors[0])
    return docs[0].data if docs else None


class DocumentFileError(ValueError):
    def __init__(self, error: DocumentError):
        self.error = error
        super().__init__(error.render())
