"""Tests of the architecture checks ARC-ENV-*: environment segregation."""

from factories import ODOO_IMAGE, by_subject, deployment, detail_of, kobj, run

from ._shared import databases


def test_staging_database_on_production_server_fails():
    result = run("ARC-ENV-001", {"pg_databases": databases("odoo_prod", "odoo_staging")})
    assert by_subject(result) == {"odoo_prod": "pass", "odoo_staging": "fail"}
    assert result.subject.tolist() == ["postgres:psql-retail-prod/odoo_prod",
                                       "postgres:psql-retail-prod/odoo_staging"]
    assert detail_of(result, "odoo_staging") == (
        "non-production database on production server psql-retail-prod: environments share "
        "one server")


def test_staging_server_with_staging_databases_passes():
    result = run("ARC-ENV-001", {"pg_databases": databases(
        "odoo_staging", "odoo_uat", server="psql-retail-staging.postgres.database.azure.com")})
    assert set(result.status) == {"pass"}


def test_nonprod_namespace_in_production_cluster_fails():
    objs = [deployment("odoo-prod", "odoo-web", ODOO_IMAGE),
            deployment("odoo-staging", "odoo-web", ODOO_IMAGE),
            kobj("Namespace", None, "monitoring", {}, api="v1")]
    result = run("ARC-ENV-002", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-prod": "pass", "odoo-staging": "fail",
                                  "monitoring": "pass"}
    assert detail_of(result, "odoo-staging") == (
        "non-production namespace in production cluster aks-retail-prod")
