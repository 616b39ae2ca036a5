"""Tests of the architecture checks ARC-HOST-*: hosting model."""

import pytest
from factories import run

from ._shared import databases, odoo_conf


def test_dedicated_hosting_dbfilter_selects_one_database():
    result = run("ARC-HOST-001", {"odoo_config": odoo_conf(),
                                  "pg_databases": databases("odoo_prod", "odoo_staging")})
    assert result.status.tolist() == ["pass"]
    assert result.subject[0] == "odoo:dbfilter"
    assert "selects 1 of 2 application databases (odoo_prod)" in result.detail[0]


@pytest.mark.parametrize("dbfilter, expected", [
    (None, "dbfilter is empty"),
    ("^odoo.*$", "selects 2 of 2 application databases"),
    ("^odoo_prod[$", "not a valid regular expression"),
])
def test_dedicated_hosting_dbfilter_fails(dbfilter, expected):
    result = run("ARC-HOST-001", {"odoo_config": odoo_conf(dbfilter=dbfilter),
                                  "pg_databases": databases("odoo_prod", "odoo_staging")})
    assert result.status.tolist() == ["fail"]
    assert expected in result.detail[0]


def test_multi_tenant_hosting_needs_host_based_dbfilter():
    ok = run("ARC-HOST-001", {"odoo_config": odoo_conf(dbfilter="^%d$")},
             hosting_model="multi-tenant")
    assert ok.status.tolist() == ["pass"]
    bad = run("ARC-HOST-001", {"odoo_config": odoo_conf()}, hosting_model="multi-tenant")
    assert bad.status.tolist() == ["fail"]
    assert "not host-based" in bad.detail[0]


def test_hosting_not_assessed_without_odoo_config():
    assert run("ARC-HOST-001", {}).status.tolist() == ["not_assessed"]
