"""Tests of the operations checks OPS-SLO-*: service level objectives."""

import pytest

from ._shared import assert_attested


@pytest.mark.parametrize("check_id, key, good, bad", [
    ("OPS-SLO-001", "slo.checkout_availability", "99.9% monthly", "as high as possible"),
])
def test_attested_operations(check_id, key, good, bad):
    assert_attested(check_id, key, good, bad)
