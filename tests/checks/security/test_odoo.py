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


# --- judged master passwords and demo data, on the live odoo.conf files ---------------------

from live_data_tier import assert_live  # noqa: E402

WEB, CRON = "odoo:admin_passwd (odoo-web.conf)", "odoo:admin_passwd (odoo-cron.conf)"


def test_master_password_judgements_on_the_live_files(live_bad, live_good):
    assert_live(live_bad, "SEC-ODOO-001", {
        WEB: ("fail", "admin_passwd is Odoo's default `admin` in odoo-web.conf"),
        CRON: ("fail", "admin_passwd is shorter than 12 characters in odoo-cron.conf")})
    assert_live(live_good, "SEC-ODOO-001", {WEB: ("pass", "set as a hash"),
                                            CRON: ("pass", "set as a hash")})
    assert_live(live_bad, "SEC-ODOO-003", {WEB: ("fail", "clear-text default"),
                                           CRON: ("fail", "admin_passwd is clear text")})
    assert_live(live_good, "SEC-ODOO-003", {WEB: ("pass", "admin_passwd is a hash"),
                                            CRON: ("pass", "admin_passwd is a hash")})


def test_plain_long_password_passes_001_and_fails_003():
    rows = odoo_conf(admin_passwd="<redacted:plain>")
    assert run("SEC-ODOO-001", {"odoo_config": rows}).status.tolist() == ["pass"]
    hashed = run("SEC-ODOO-003", {"odoo_config": rows})
    assert hashed.status.tolist() == ["fail"] and "clear text" in hashed.detail[0]
    legacy = run("SEC-ODOO-003", {"odoo_config": odoo_conf(admin_passwd="<redacted>")})
    assert legacy.status.tolist() == ["not_assessed"]


def test_without_demo_on_the_live_files(live_bad, live_good):
    assert_live(live_bad, "SEC-ODOO-004", {
        "odoo:without_demo (odoo-web.conf)": ("fail", "without_demo = False"),
        "odoo:without_demo (odoo-cron.conf)": ("fail", "without_demo not set")})
    assert_live(live_good, "SEC-ODOO-004", {
        "odoo:without_demo (odoo-web.conf)": ("pass", "without_demo = all"),
        "odoo:without_demo (odoo-cron.conf)": ("pass", "without_demo = all")})
    assert_live(live_bad, "SEC-ODOO-002", {
        "odoo:list_db (odoo-web.conf)": ("fail", "list_db = True"),
        "odoo:list_db (odoo-cron.conf)": ("fail", "list_db not set")})
