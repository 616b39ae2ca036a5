"""Contracts every security check keeps, whatever its area."""

from factories import run

from readiness_kit.checks import REGISTRY


def test_security_checks_have_no_subjects_in_empty_collected_tables():
    """Collected but empty: nothing to judge, so not_assessed (never a silent pass)."""
    tables = {"azure_resources": [], "azure_arm_details": [], "k8s_objects": [],
              "pg_settings": [], "pg_roles": [], "odoo_config": []}
    statuses = {c.id: set(run(c.id, tables).status) for c in REGISTRY.values()
                if c.domain == "security"}
    assert {k: v for k, v in statuses.items() if v != {"not_assessed"}} == {}
