"""Tests of the operations checks OPS-ODOO-*: Odoo health read from its database and
odoo.conf, on the live servers (tests/live_data_tier.py) and small factories."""

import pytest
from factories import run
from live_data_tier import assert_live

BAD, GOOD = "odoo:pg-bad/shop_bad", "odoo:pg-good/shop_good"
LIVE = [
    ("OPS-ODOO-001", {f"{BAD}/version": ("fail", "Odoo 16.0.1.3: supported until about "
                                                 "2025-10-12")},
     {f"{GOOD}/version": ("pass", "Odoo 18.0.1.3: supported until about 2027-10-02")}),
    ("OPS-ODOO-002", {f"{BAD}/crons": ("fail", "late: Mail: Email Queue Manager (180 min "
                                               "late, every 1 minutes)")},
     {f"{GOOD}/crons": ("pass", "2 active crons, none late")}),
    ("OPS-ODOO-003", {f"{BAD}/cron_failures": ("fail", "Mail: Email Queue Manager (3 "
                                                       "failures)")},
     {f"{GOOD}/cron_failures": ("pass", "no cron with failures")}),
    ("OPS-ODOO-004", {f"{BAD}/failed_jobs": ("fail", "root.marketplace: 12 failed, oldest "
                                                     "48.0 h")},
     {f"{GOOD}/failed_jobs": ("pass", "no failed job")}),
    ("OPS-ODOO-005", {f"{BAD}/stuck_jobs": ("fail", "root.invoice: 1 started, oldest 5.0 h")},
     {f"{GOOD}/stuck_jobs": ("pass", "no job started more than 60 min ago")}),
    ("OPS-ODOO-006", {f"{BAD}/backlog": ("fail", "sale_order sent: 40, oldest 72 h; "
                                                 "stock_move waiting: 25, oldest 96 h")},
     {f"{GOOD}/backlog": ("pass", "2 orders/moves waiting")}),
    ("OPS-ODOO-007",
     {"odoo:gevent_port (odoo-web.conf)": ("fail", "longpolling_port = 8072 (deprecated"),
      "odoo:gevent_port (odoo-cron.conf)": ("pass", "8072 (default)")},
     {"odoo:gevent_port (odoo-web.conf)": ("pass", "gevent_port 8072"),
      "odoo:gevent_port (odoo-cron.conf)": ("pass", "gevent_port 8072 (default)")}),
]


@pytest.mark.parametrize(("check_id", "bad", "good"), LIVE, ids=[c for c, _, _ in LIVE])
def test_on_the_live_servers(check_id, bad, good, live_bad, live_good):
    assert_live(live_bad, check_id, bad)
    assert_live(live_good, check_id, good)


def test_cron_failures_not_assessed_before_odoo_18():
    crons = [{"server": "pg", "datname": "shop", "cron_id": 1, "name": "Mail", "active": True,
              "interval_number": 1, "interval_type": "minutes", "lag_seconds": -10.0}]
    result = run("OPS-ODOO-003", {"odoo_crons": crons})
    assert result.status.tolist() == ["not_assessed"]
    assert "failure_count, Odoo 18+" in result.detail[0]


def test_a_daily_cron_a_few_hours_late_is_on_time():
    crons = [{"server": "pg", "datname": "shop", "cron_id": 1, "name": "Digest",
              "active": True, "interval_number": 1, "interval_type": "days",
              "lag_seconds": 5 * 3600.0}]
    assert run("OPS-ODOO-002", {"odoo_crons": crons}).status.tolist() == ["pass"]
