"""Offline twin of live collection: a folder (or one file) of Kubernetes manifests.

Reads multi-document YAML, Helm-rendered output (``helm template``: ``---`` and ``# Source:``
comments), built Kustomize output (``kustomize build``), and ``kubectl get ... -o yaml|json``
dumps (``kind: List`` with ``items``, or a typed list such as ``DeploymentList`` whose items
may lack ``apiVersion``/``kind`` as raw API responses do). Every object goes through
``normalise_object``, the function live collection uses, so the same objects give the same
rows.

A document that does not parse, or is not an object (no ``kind`` / ``metadata.name``),
becomes a ``FileProblem`` naming the file, document index and line; the rest of the file and
the other files are still read. Documents that are not cluster objects are skipped:
Kustomize inputs (``kustomization.yaml``, ``kustomize.config.k8s.io``), Helm ``Chart.yaml``
and values files (mappings without ``apiVersion`` and ``kind``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from readiness_kit.collectors.kubernetes.normalise import normalise_object, object_key
from readiness_kit.collectors.yamldocs import Document, DocumentError, read_documents

SUFFIXES = (".yaml", ".yml", ".json")
#: API groups of build-time configuration, never objects in a cluster.
NOT_CLUSTER_GROUPS = ("kustomize.config.k8s.io", "config.kubernetes.io",
                      "kpt.dev", "helm.sh")


@dataclass
class FolderRead:
    """Rows read from a manifests folder, and what could not be read."""

    records: list[dict] = field(default_factory=list)
    problems: list[DocumentError] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    skipped: int = 0


def manifest_files(root: Path) -> list[Path]:
    """Manifest files under ``root`` (or ``root`` itself), sorted, hidden folders left out."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*")
                  if p.suffix.lower() in SUFFIXES and p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def _is_list(data: dict) -> bool:
    kind = str(data.get("kind") or "")
    return isinstance(data.get("items"), list) and (kind == "List" or kind.endswith("List"))


def _objects(doc: Document, path: Path) -> Iterator[dict | DocumentError]:
    """The objects of one document (a List's items), or errors naming the place."""
    data = doc.data

    def bad(problem: str) -> DocumentError:
        return DocumentError(path, doc.index, doc.line, doc.source, problem)

    if not isinstance(data, dict):
        yield bad(f"expected a Kubernetes object (a mapping), got {type(data).__name__}")
        return
    if _is_list(data):
        kind = str(data.get("kind"))
        item_kind = kind[:-4] if kind != "List" else None
        for i, item in enumerate(data["items"]):
            if not isinstance(item, dict):
                yield bad(f"items[{i}]: expected an object, got {type(item).__name__}")
                continue
            if item_kind and not item.get("kind"):  # raw API lists omit the items' type
                item = {"apiVersion": data.get("apiVersion"), "kind": item_kind, **item}
            yield from (e if isinstance(e, dict) else bad(f"items[{i}]: {e}")
                        for e in _checked(item))
        return
    for e in _checked(data):
        yield e if isinstance(e, dict) else bad(e)


def _checked(obj: dict) -> Iterator[dict | str]:
    """``obj`` when it is a cluster object; a problem text when it is a broken one; nothing
    for documents that are not cluster objects (values files, kustomizations)."""
    api, kind = obj.get("apiVersion"), obj.get("kind")
    if api is None and kind is None:
        return  # a values file, Chart.yaml's sibling, or other non-object YAML
    if str(api or "").split("/")[0] in NOT_CLUSTER_GROUPS:
        return
    if not api or not kind:
        yield f"object lacks {'apiVersion' if not api else 'kind'}"
        return
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or not meta.get("name"):
        yield f"{kind} lacks metadata.name"
        return
    yield obj


def read_manifests(root: Path, cluster: str) -> FolderRead:
    """Every object under ``root`` as ``k8s_objects`` records (one per object: a later file
    repeating an object replaces the earlier one), plus the problems met."""
    out = FolderRead()
    by_key: dict[tuple, dict] = {}
    for path in manifest_files(root):
        out.files += 1
        docs, errors = read_documents(path)
        out.problems.extend(errors)
        out.documents += len(docs) + len(errors)
        for doc in docs:
            found = False
            for item in _objects(doc, path):
                if isinstance(item, DocumentError):
                    out.problems.append(item)
                    continue
                found = True
                record = normalise_object(item, cluster)
                by_key[object_key(record)] = record
            out.skipped += not found
    out.records = [by_key[k] for k in sorted(by_key)]
    return out


def problems_in(root: Path) -> list[str]:
    """Readable problems of every manifest under ``root`` (for ``readiness validate``)."""
    if not root.exists():
        return [f"{root}: manifests folder not found"]
    return [p.render() for p in read_manifests(root, "-").problems]
