"""The odoo.conf reader: several files, secrets judged never stored, clear errors."""

from __future__ import annotations

import pytest
from live_data_tier import BAD_MASTER_SHORT, DB_PASSWORD_IN_CONF, GOOD_MASTER_HASH

from readiness_kit.collectors.odoo import judge_admin_passwd, read_config, validate
from readiness_kit.errors import EvidenceError
from readiness_kit.params import LoadedParameters, OdooSource, Parameters


@pytest.mark.parametrize(("value", "judged"), [
    ("admin", "<redacted:default>"),
    (GOOD_MASTER_HASH, "<redacted:pbkdf2>"),
    ("$6$rounds=5000$salt$hashhashhash", "<redacted:hash>"),
    (BAD_MASTER_SHORT, "<redacted:plain,len<12>"),
    ("a-long-plain-master-password", "<redacted:plain>"),
])
def test_admin_passwd_is_judged(value, judged):
    assert judge_admin_passwd(value) == judged


def test_two_files_one_table_without_secret_values(live_bad, live_good):
    for tenant in (live_bad, live_good):
        table = tenant.ev.table("odoo_config")
        assert set(table["source"]) == {"odoo-web.conf", "odoo-cron.conf"}
        text = " ".join(table["value"].astype(str))
        for secret in (DB_PASSWORD_IN_CONF, BAD_MASTER_SHORT, GOOD_MASTER_HASH):
            assert secret not in text
    bad = live_bad.ev.table("odoo_config").set_index(["source", "key"])["value"]
    assert bad[("odoo-web.conf", "admin_passwd")] == "<redacted:default>"
    assert bad[("odoo-cron.conf", "admin_passwd")] == "<redacted:plain,len<12>"
    assert bad[("odoo-web.conf", "db_password")] == "<redacted>"
    good = live_good.ev.table("odoo_config")
    assert set(good.loc[good["key"].eq("channels"), "section"]) == {"queue_job"}


@pytest.mark.parametrize(("content", "where", "expected"), [
    ("workers = 4\n", "line 1", "expected a section header such as [options]"),
    ("[options]\nworkers = 4\nno_equals_here\n", "line 3", "got 'no_equals_here'"),
    ("[options]\nadmin_passwd hunter2-secret\n", "line 2", "may hold a secret (not shown)"),
    ("[options]\nworkers = 4\nworkers = 5\n", "line 3", "option 'workers' set twice"),
    ("[queue_job]\nchannels = root:2\n", "line 1", "no [options] section"),
])
def test_malformed_file_names_file_and_line(tmp_path, content, where, expected):
    path = tmp_path / "odoo.conf"
    path.write_text(content)
    with pytest.raises(EvidenceError) as info:
        read_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {where}: ") and expected in message
    assert "hunter2" not in message


def test_validate_hook_opens_every_file(tmp_path):
    (tmp_path / "web.conf").write_text("[options]\nworkers = 4\n")
    (tmp_path / "cron.conf").write_text("workers = 4\n")
    params = tmp_path / "t.yaml"
    params.write_text("tenant: t\n")
    loaded = LoadedParameters(params=Parameters(tenant="t"), path=params)
    cfg = OdooSource(config="web.conf", configs=["cron.conf", "missing.conf"])
    problems = validate(cfg, loaded)
    assert len(problems) == 2
    assert "cron.conf: line 1" in problems[0] and "missing.conf: odoo.conf not found" in \
        problems[1]
    with pytest.raises(ValueError, match="name an odoo.conf"):
        OdooSource()
