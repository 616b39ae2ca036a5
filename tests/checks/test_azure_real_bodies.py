"""Every check that reads Azure evidence is tested on public Azure REST API example bodies.

The registry of real-body tests is read from the test modules themselves, so there is
nothing to keep in step by hand: a test function under ``tests/checks`` is a *real-body
test* of a check when

- it names the check id as a string literal (in its body or its ``parametrize``), and
- it builds evidence through ``real_body`` / ``real_detail`` (``tests/factories.py``), directly
  or through a module-level helper of its own module that does.

Each Azure-evidence check (``requires`` / ``requires_any`` naming ``azure_resources`` or
``azure_arm_details``) needs real-body tests that between them assert both a ``"pass"`` and
a ``"fail"``. Every corpus file names its public source (``_source``) or is a variant of one
(``base`` + ``set`` + ``_variant`` saying what changed)."""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

from factories import AZURE_BODIES, body_file

from readiness_kit.checks import REGISTRY

TESTS = Path(__file__).parent
AZURE_TABLES = {"azure_resources", "azure_arm_details"}
LOADERS = {"real_body", "real_detail"}
CHECK_ID = re.compile(r"^[A-Z]{3}-[A-Z0-9]+-\d{3}$")
SOURCE = re.compile(r"^Azure/azure-rest-api-specs:specification/[^/]+/resource-manager/.+"
                    r"/examples/.+\.json#responses/200/body")


def azure_checks() -> list[str]:
    return sorted(c.id for c in REGISTRY.values()
                  if AZURE_TABLES & {*c.requires, *c.requires_any})


def _called(node: ast.AST) -> set[str]:
    return {n.func.id for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


@cache
def real_body_tests() -> dict[str, dict[str, set[str]]]:
    """check id -> test ("file::function") -> the verdicts ("pass"/"fail") it asserts."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text())
        funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        real = set(LOADERS)
        grew = True
        while grew:  # module helpers that build from real bodies, transitively
            more = {name for name, fn in funcs.items() if _called(fn) & real} - real
            real |= more
            grew = bool(more)
        for name, fn in funcs.items():
            if not name.startswith("test_") or not _called(fn) & real:
                continue
            words = _strings(fn)
            for check_id in filter(CHECK_ID.match, words):
                found.setdefault(check_id, {})[f"{path.relative_to(TESTS)}::{name}"] = (
                    words & {"pass", "fail"})
    return found


def test_every_azure_check_has_real_body_tests_for_pass_and_fail():
    tests = real_body_tests()
    missing = []
    for check_id in azure_checks():
        verdicts = set().union(*tests.get(check_id, {}).values())
        if verdicts != {"pass", "fail"}:
            missing.append(f"{check_id}: real-body tests assert {sorted(verdicts) or 'nothing'}"
                           " (need pass and fail)")
    assert missing == []


def test_the_audit_sees_azure_checks_and_their_tests():
    """The scan itself works: the catalogue has Azure checks and a known real-body test."""
    assert len(azure_checks()) >= 70
    assert "resilience/test_aks.py::test_aks_backup_real_bodies" in real_body_tests()[
        "RES-AKS-002"]


def test_every_corpus_file_names_its_public_source():
    bad = []
    for path in sorted(AZURE_BODIES.glob("*.json")):
        raw = json.loads(path.read_text())
        doc = body_file(path.stem)
        if not SOURCE.match(doc.get("_source", "")):
            bad.append(f"{path.name}: _source {doc.get('_source')!r}")
        if "base" in raw and not raw.get("_variant"):
            bad.append(f"{path.name}: a variant says what it changed in _variant")
        body = doc.get("body")
        if not isinstance(body, dict) or not {"id", "resourceId"} & set(body):
            bad.append(f"{path.name}: body is not an ARM resource (or state) with an id")
    assert bad == []
