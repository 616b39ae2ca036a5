"""Tests of the operations checks OPS-INC-*: incidents and on-call."""

import pytest

from ._shared import assert_attested


@pytest.mark.parametrize("check_id, key, good, bad", [
    ("OPS-INC-001", "oncall.rota", "PagerDuty schedule Retail Platform, 24x7", "none"),
    ("OPS-INC-002", "incident.process_owner", "Service Delivery Manager", "TBD"),
])
def test_attested_operations(check_id, key, good, bad):
    assert_attested(check_id, key, good, bad)
