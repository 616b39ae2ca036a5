"""Contracts every check of the catalogue keeps, whatever its domain."""

from pathlib import Path

import pytest
from factories import run

from readiness_kit import DOMAINS
from readiness_kit.checks import REGISTRY
from readiness_kit.evidence import TABLES

PREFIX = {"architecture": "ARC-", "scalability": "SCL-", "security": "SEC-",
          "resilience": "RES-", "operations": "OPS-", "devops": "DEV-"}
CHECKS = sorted(REGISTRY)
TESTS = Path(__file__).parent


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_domain_has_at_least_five_checks(domain):
    assert sum(c.domain == domain for c in REGISTRY.values()) >= 5


@pytest.mark.parametrize("check_id", CHECKS)
def test_check_metadata(check_id):
    c = REGISTRY[check_id]
    assert c.id.startswith(PREFIX[c.domain])
    assert c.title and c.rationale and c.remediation and c.risk and c.applies_to
    assert c.references and all(r.startswith("https://") for r in c.references)
    assert set(c.requires) | set(c.requires_any) <= set(TABLES)


@pytest.mark.parametrize("check_id", CHECKS)
def test_without_evidence_every_check_is_not_assessed(check_id):
    result = run(check_id, {})
    assert result.status.tolist() == ["not_assessed"], result.detail.tolist()


@pytest.mark.parametrize("check_id", CHECKS)
def test_collected_but_empty_tables_never_raise(check_id):
    result = run(check_id, {name: [] for name in TABLES})
    assert "error" not in set(result.status), result.detail.tolist()


def test_every_check_is_one_hop_from_its_id():
    """``RES-PG-003`` lives in ``readiness_kit.checks.resilience.pg`` and is tested in
    ``tests/checks/resilience/test_pg.py``."""
    misplaced, untested = [], []
    for check_id in CHECKS:
        c = REGISTRY[check_id]
        area = check_id.split("-")[1].lower()
        if c.metadata()["module"] != f"readiness_kit.checks.{c.domain}.{area}":
            misplaced.append(f"{check_id} in {c.metadata()['module']}")
        if not (TESTS / c.domain / f"test_{area}.py").is_file():
            untested.append(f"{check_id}: no tests/checks/{c.domain}/test_{area}.py")
    assert misplaced == [] and untested == []
