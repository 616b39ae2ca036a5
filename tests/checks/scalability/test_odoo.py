"""Tests of the scalability checks SCL-ODOO-*: Odoo sizing."""

import pytest
from factories import ODOO_IMAGE, by_subject, deployment, detail_of, hpa, run
from factories import odoo_conf as conf_rows
from factories import pg_settings as pg_setting_rows

from ._shared import demo_k8s, odoo_cron, odoo_web, pg_server

ODOO_OPTIONS = {"workers": "8", "max_cron_threads": "2", "db_maxconn": "64",
                "limit_memory_soft": "2147483648", "limit_memory_hard": "2684354560",
                "db_host": "psql-retail-prod.postgres.database.azure.com", "proxy_mode": "True"}


def odoo_conf(**options) -> list[dict]:
    return conf_rows(**{**ODOO_OPTIONS, **options})


def pg_settings(max_connections: int = 400, server: str = "psql-retail-prod") -> list[dict]:
    return pg_setting_rows(server, max_connections=str(max_connections), ssl="on",
                           shared_buffers="1048576")


def test_connection_maths_fails_on_the_demo_numbers():
    result = run("SCL-ODOO-001", {"odoo_config": odoo_conf(), "pg_settings": pg_settings(),
                                  "k8s_objects": demo_k8s(),
                                  "azure_resources": [pg_server()]})
    assert result.subject.tolist() == ["postgres:psql-retail-prod/max_connections"]
    assert result.status.tolist() == ["fail"]
    detail = result.detail[0]
    assert "(1 + 8 workers + 2 cron) x db_maxconn 64 = 704 per pod x 6 pods at HPA max = " \
           "4224" in detail
    assert "max_connections 400 - 15 reserved (Azure keeps 15) = 385" in detail
    assert "peak demand 4928 vs capacity 385" in detail  # web 4224 + cron 704


def test_connection_maths_passes_with_small_pools():
    result = run("SCL-ODOO-001", {
        "odoo_config": odoo_conf(workers="4", max_cron_threads="1", db_maxconn="8"),
        "pg_settings": pg_settings(server="pg-selfhosted"),
        "k8s_objects": [odoo_web(), hpa("odoo-prod", "odoo-web", 3, 6)]})
    assert result.status.tolist() == ["pass"]
    # (1 + 4 + 1) x 8 = 48 per pod x 6 = 288 against 400 - 3 superuser reserved = 397
    assert "= 288" in result.detail[0] and "400 - 3 reserved = 397" in result.detail[0]


def test_connection_maths_not_assessed_without_pg_settings():
    result = run("SCL-ODOO-001", {"odoo_config": odoo_conf(), "k8s_objects": demo_k8s()})
    assert result.status.tolist() == ["not_assessed"]
    assert "pg_settings" in result.detail[0]


@pytest.mark.parametrize("workers, status, text", [
    ("8", "fail", "workers 8 (odoo.conf) on a CPU request of 2 cores: 2 x CPU + 1 allows 5"),
    ("5", "pass", "allows 5"),
    ("0", "fail", "threaded mode"),
])
def test_workers_vs_cpu(workers, status, text):
    result = run("SCL-ODOO-002", {"odoo_config": odoo_conf(workers=workers),
                                  "k8s_objects": demo_k8s()})
    assert by_subject(result) == {"odoo-web": status}
    assert text in result.detail[0]


def test_workers_vs_cpu_fails_without_cpu_request():
    result = run("SCL-ODOO-002", {"odoo_config": odoo_conf(),
                                  "k8s_objects": [odoo_web(resources={})]})
    assert result.status.tolist() == ["fail"]
    assert "no CPU request" in result.detail[0]


def test_odoo_memory_fits_pod_fail_and_pass():
    bad = run("SCL-ODOO-003", {"odoo_config": odoo_conf(), "k8s_objects": [odoo_web()]})
    assert bad.status.tolist() == ["fail"]
    assert bad.detail[0] == ("limit_memory_hard 2.5 GiB x 10 processes (8 workers + 2 cron) = "
                             "25.0 GiB vs pod memory limit 8.0 GiB")
    good = run("SCL-ODOO-003", {
        "odoo_config": odoo_conf(),
        "k8s_objects": [odoo_web(args=["--workers=2", "--max-cron-threads=0"],
                                 resources={"requests": {"cpu": "1", "memory": "4Gi"},
                                            "limits": {"memory": "6Gi"}})]})
    assert good.status.tolist() == ["pass"]
    assert "x 2 processes (2 workers + 0 cron) = 5.0 GiB vs pod memory limit 6.0 GiB" in \
        good.detail[0]


def test_odoo_memory_counts_only_cron_workers_without_http():
    tight = run("SCL-ODOO-003", {"odoo_config": odoo_conf(),
                                 "k8s_objects": [odoo_cron(args=["--no-http"])]})
    assert tight.status.tolist() == ["fail"]
    assert tight.detail[0] == ("limit_memory_hard 2.5 GiB x 2 processes (0 workers (--no-http)"
                               " + 2 cron) = 5.0 GiB vs pod memory limit 4.0 GiB")
    roomy = deployment("odoo-prod", "odoo-cron", ODOO_IMAGE, 1, container_name="odoo",
                       args=["--no-http"], resources={"requests": {"cpu": "1", "memory": "4Gi"},
                                                      "limits": {"memory": "6Gi"}})
    assert run("SCL-ODOO-003", {"odoo_config": odoo_conf(),
                                "k8s_objects": [roomy]}).status.tolist() == ["pass"]


def test_odoo_memory_not_assessed_in_threaded_mode():
    result = run("SCL-ODOO-003", {"odoo_config": odoo_conf(workers="0"),
                                  "k8s_objects": [odoo_web()]})
    assert result.status.tolist() == ["not_assessed"]


def test_cron_runs_in_web_pods_despite_cron_deployment_fails():
    result = run("SCL-ODOO-004", {"odoo_config": odoo_conf(), "k8s_objects": demo_k8s()})
    assert by_subject(result) == {"odoo-web": "fail", "odoo-cron": "pass"}
    assert "although odoo-cron runs cron: up to 12 extra cron workers at HPA max" in \
        detail_of(result, "odoo-web")


def test_cron_disabled_in_web_pods_passes():
    result = run("SCL-ODOO-004", {"odoo_config": odoo_conf(),
                                  "k8s_objects": demo_k8s(web_args=["--max-cron-threads=0"])})
    assert by_subject(result) == {"odoo-web": "pass", "odoo-cron": "pass"}
    assert detail_of(result, "odoo-web") == "max_cron_threads 0: cron left to odoo-cron"


def test_cron_deployment_without_threads_fails():
    result = run("SCL-ODOO-004", {"odoo_config": odoo_conf(max_cron_threads="0"),
                                  "k8s_objects": [odoo_web(), odoo_cron()]})
    assert by_subject(result) == {"odoo-web": "pass", "odoo-cron": "fail"}
    assert "no scheduled actions run" in detail_of(result, "odoo-cron")


# --- odoo.conf options and live Odoo evidence (tests/live_data_tier.py) --------------------

from live_data_tier import assert_live  # noqa: E402

W, C = " (odoo-web.conf)", " (odoo-cron.conf)"


def test_connections_fit_from_odoo_conf_without_kubernetes(live_bad, live_good):
    assert_live(live_bad, "SCL-ODOO-001", {"postgres:pg-bad/max_connections": (
        "fail", "peak demand 384 vs capacity 22 connections")})
    assert_live(live_good, "SCL-ODOO-001", {"postgres:pg-good/max_connections": (
        "pass", "peak demand 72 vs capacity 197 connections")})


def test_crons_in_web_workers_from_odoo_conf(live_bad, live_good):
    assert_live(live_bad, "SCL-ODOO-004", {
        "odoo.conf:odoo-web.conf": ("fail", "max_cron_threads 2 (odoo.conf) in every web pod "
                                            "although odoo-cron.conf runs cron"),
        "odoo.conf:odoo-cron.conf": ("pass", "runs max_cron_threads 4")})
    assert_live(live_good, "SCL-ODOO-004", {
        "odoo.conf:odoo-web.conf": ("pass", "max_cron_threads 0: cron left to odoo-cron.conf"),
        "odoo.conf:odoo-cron.conf": ("pass", "runs max_cron_threads 2")})


def test_queue_backlog_and_runner_on_the_live_servers(live_bad, live_good):
    assert_live(live_bad, "SCL-ODOO-005", {"odoo:pg-bad/shop_bad/queue_job": (
        "fail", "2500 jobs waiting, oldest 90 min (channel root.stock)")})
    assert_live(live_good, "SCL-ODOO-005", {"odoo:pg-good/shop_good/queue_job": (
        "pass", "1 jobs waiting")})
    assert_live(live_bad, "SCL-ODOO-009", {"odoo:pg-bad/shop_bad/queue_job_runner": (
        "fail", "no odoo.conf loads it")})
    assert_live(live_good, "SCL-ODOO-009", {"odoo:pg-good/shop_good/queue_job_runner": (
        "pass", "runner loaded by odoo-cron.conf, odoo-web.conf")})


def test_time_memory_and_worker_options_on_the_live_files(live_bad, live_good):
    assert_live(live_bad, "SCL-ODOO-006", {
        "odoo:limit_time" + W: ("fail", "limit_time_cpu 0, limit_time_real 0"),
        "odoo:limit_time" + C: ("fail", "limit_time_cpu 0")})
    assert_live(live_good, "SCL-ODOO-006", {
        "odoo:limit_time" + W: ("pass", "limit_time_cpu 60, limit_time_real 120"),
        "odoo:limit_time" + C: ("pass", "limit_time_cpu 60")})
    assert_live(live_bad, "SCL-ODOO-007", {
        "odoo:limit_memory" + W: ("fail", "limit_memory_soft 4.0 GiB, limit_memory_hard 2.0"),
        "odoo:limit_memory" + C: ("pass", "(soft: default)")})
    assert_live(live_good, "SCL-ODOO-007", {
        "odoo:limit_memory" + W: ("pass", "limit_memory_soft 2.0 GiB"),
        "odoo:limit_memory" + C: ("pass", "limit_memory_hard 2.5 GiB")})
    assert_live(live_bad, "SCL-ODOO-008", {"odoo:workers" + W: ("fail", "threaded mode")})
    assert_live(live_good, "SCL-ODOO-008", {"odoo:workers" + W: ("pass", "workers = 5")})
