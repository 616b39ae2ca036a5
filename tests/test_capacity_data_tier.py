"""The capacity model on live data-tier evidence: connections from odoo.conf and the clients
observed, workers against CPU, pod memory against limit_memory_hard, queue_job drain time,
and the chart of where the platform breaks first."""

from __future__ import annotations

import pytest
from factories import GIB, ODOO_IMAGE, deployment, evidence_from_records, odoo_conf, params_for
from factories import pg_settings as pg_settings_rows

from readiness_kit.capacity import capacity_model
from readiness_kit.charts import scalability as scl_charts
from readiness_kit.charts.style import STATUS_COLOURS
from readiness_kit.review import Review


def _row(model, resource, subject_part=""):
    rows = model[model["resource"].eq(resource) & model["subject"].str.contains(subject_part)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_connections_from_two_odoo_conf_files_on_the_live_server(live_bad, live_good):
    bad = _row(capacity_model(live_bad.ev, live_bad.params.params), "PostgreSQL connections")
    # cron.conf: (1 + 0 http workers + 4 cron) x 64 = 320; web.conf threaded: 1 x 64
    assert (bad["peak_demand"], bad["capacity"], bad["verdict"]) == (384, 22, "insufficient")
    assert "max_connections 25 - 3 reserved = 22" in bad["explanation"]
    assert "observed now" in bad["explanation"]
    good = _row(capacity_model(live_good.ev, live_good.params.params), "PostgreSQL connections")
    # web (1 + 5 + 0) x 8 = 48, cron (1 + 0 + 2) x 8 = 24 against 200 - 3
    assert (good["peak_demand"], good["capacity"], good["verdict"]) == (72, 197, "sufficient")


def test_other_clients_observed_count_at_peak():
    tables = {
        "pg_settings": pg_settings_rows("pg-a", max_connections="100"),
        "odoo_config": odoo_conf("web.conf", workers="2", max_cron_threads="0",
                                 db_maxconn="10", db_user="odoo_app"),
        "pg_activity": [
            {"server": "pg-a", "usename": "odoo_app", "application_name": "odoo",
             "backend_type": "client backend", "state": "idle", "connections": 12},
            {"server": "pg-a", "usename": "bi", "application_name": "Metabase",
             "backend_type": "client backend", "state": "idle", "connections": 15},
            {"server": "pg-a", "usename": "readiness", "application_name": "readiness-kit",
             "backend_type": "client backend", "state": "active", "connections": 1},
            {"server": "pg-a", "backend_type": "checkpointer", "connections": 1}],
    }
    conn = _row(capacity_model(evidence_from_records(tables), params_for()),
                "PostgreSQL connections")
    assert (conn["baseline"], conn["peak_demand"]) == (30 + 15, 30 + 15)
    assert "+ 15 other clients observed (Metabase 15)" in conn["explanation"]


def test_queue_drain_time_from_observed_throughput(live_good):
    tables = {"pg_settings": pg_settings_rows("pg-a", max_connections="100"), "odoo_jobs": [
        {"server": "pg-a", "datname": "shop", "channel": "root", "state": "done",
         "jobs": 600, "oldest_created_seconds": 3600.0},
        {"server": "pg-a", "datname": "shop", "channel": "root.stock", "state": "pending",
         "jobs": 300, "oldest_created_seconds": 120.0}]}
    m = capacity_model(evidence_from_records(tables),
                       params_for(targets={"peak_multiplier": 4, "queue_drain_minutes": 45}))
    drain = _row(m, "queue_job drain time")
    # 600 done in 60 min = 10/min; 300 waiting = 30 min now, 120 at x4 against 45
    assert (drain["baseline"], drain["peak_demand"], drain["capacity"]) == (30, 120, 45)
    assert drain["verdict"] == "insufficient"
    live = _row(capacity_model(live_good.ev, live_good.params.params), "queue_job drain time")
    assert live["verdict"] == "sufficient" and "30 done in the last 60 min" in \
        live["explanation"]


@pytest.mark.parametrize(("cpu", "hard_gib", "limit", "cpu_verdict", "mem_verdict"), [
    ("2", 2.5, "32Gi", "insufficient", "sufficient"),   # 6 + 2 workers vs 2x2+1 = 5
    ("4", 2.5, "12Gi", "tight", "insufficient"),  # 8 of 9 workers; 9 x 2.5 GiB vs 12 GiB
])
def test_workers_against_cpu_and_memory_against_limits(cpu, hard_gib, limit, cpu_verdict,
                                                       mem_verdict):
    tables = {
        "k8s_objects": [deployment("odoo-prod", "odoo-web", ODOO_IMAGE, 2, resources={
            "requests": {"cpu": cpu, "memory": limit},
            "limits": {"cpu": cpu, "memory": limit}})],
        "odoo_config": odoo_conf("odoo.conf", workers="6", max_cron_threads="2",
                                 limit_memory_hard=str(int(hard_gib * GIB))),
    }
    m = capacity_model(evidence_from_records(tables), params_for())
    assert _row(m, "Odoo workers vs CPU")["verdict"] == cpu_verdict
    mem = _row(m, "Odoo pod memory")
    assert mem["verdict"] == mem_verdict and mem["peak_demand"] == 9 * hard_gib


def test_breaking_point_chart_names_what_breaks_first(live_bad, live_good):
    def review(t):
        import pandas as pd

        from readiness_kit.checks import CheckContext  # noqa: F401 (Review needs no checks)
        return Review(params=t.params.params, ev=t.ev, findings=pd.DataFrame(),
                      waivers=pd.DataFrame(), scores=pd.DataFrame(), gate="conditional",
                      gate_reasons=[], as_of=None)
    fig = scl_charts.breaking_point(review(live_bad))
    bars = fig.data[0]
    assert bars.y[0] == "PostgreSQL connections · pg-bad"
    assert bars.marker.color[0] == STATUS_COLOURS["fail"]
    assert any(a.text.startswith("breaks first: PostgreSQL connections · pg-bad at x0.06")
               for a in fig.layout.annotations)
    assert [(s.x0, s.x1) for s in fig.layout.shapes if s.type == "line"] == [(3, 3)]
    good = scl_charts.breaking_point(review(live_good)).data[0]
    colours = dict(zip(good.y, good.marker.color, strict=True))
    assert colours["PostgreSQL connections · pg-good"] == STATUS_COLOURS["pass"]
