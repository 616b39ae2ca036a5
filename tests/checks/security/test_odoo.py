"""Tests of the security checks SEC-ODOO-*: Odoo configuration."""

import pytest
from factories import odoo_conf, run


def test_odoo_admin_passwd_presence_only():
    good = run("SEC-ODOO-001", {"odoo_config": odoo_conf(
        admin_passwd="<redacted>", workers="8", list_db="False")})
    assert good.status.tolist() == ["pass"]
    assert good.subject.tolist() == ["odoo:admin_passwd"]
    assert good.detail[0] == "admin_passwd is set (value not read)"
    bad = run("SEC-ODOO-001", {"odoo_config": odoo_conf(workers="8")})
    assert bad.status.tolist() == ["fail"]
    assert "not set" in bad.detail[0]
    assert "<redacted>" not in good.detail[0]


def test_odoo_admin_passwd_per_source():
    rows = odoo_conf("a.conf", admin_passwd="<redacted>") + odoo_conf("b.conf", workers="2")
    result = run("SEC-ODOO-001", {"odoo_config": rows})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "odoo:admin_passwd (a.conf)": "pass", "odoo:admin_passwd (b.conf)": "fail"}


@pytest.mark.parametrize(("options", "status", "detail"), [
    ({"list_db": "False"}, "pass", "list_db = False"),
    ({"list_db": "True"}, "fail", "list_db = True"),
    ({"workers": "8"}, "fail", "list_db not set (Odoo default: True)"),
])
def test_odoo_list_db(options, status, detail):
    result = run("SEC-ODOO-002", {"odoo_config": odoo_conf(**options)})
    assert result.status.tolist() == [status]
    assert result.detail[0] == detail
    assert result.subject[0] == "odoo:list_db"


def test_odoo_not_assessed_without_config():
    assert run("SEC-ODOO-002", {}).status.tolist() == ["not_assessed"]
