"""Tests of the resilience checks RES-ODOO-*: what Odoo keeps in its database."""

from factories import run
from live_data_tier import assert_live


def test_attachments_on_the_live_servers(live_bad, live_good):
    assert_live(live_bad, "RES-ODOO-001", {"odoo:pg-bad/shop_bad": (
        "fail", "ir_attachment.location = db; 300 of 300 attachments (1.20 MiB) stored in "
                "the database")})
    assert_live(live_good, "RES-ODOO-001", {"odoo:pg-good/shop_good": (
        "pass", "ir_attachment.location = file; 0 of 50 attachments")})


def test_gigabytes_of_attachments_fail_even_with_the_filestore_set():
    dbs = [{"server": "pg", "datname": "shop", "attachment_location": "file",
            "attachments": 9000, "attachments_in_db": 4000,
            "attachments_in_db_bytes": 3 * 1024**3}]
    assert run("RES-ODOO-001", {"odoo_databases": dbs}).status.tolist() == ["fail"]
