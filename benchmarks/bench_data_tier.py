"""Collecting a multi-tenant PostgreSQL server: N Odoo-shaped databases on one server.

Starts a throwaway server (``tests/servers.py``), creates one Odoo-shaped database and
copies it N times (``CREATE DATABASE ... TEMPLATE``), then runs the PostgreSQL collector
with its default bound (8 connections open at once). Prints the collection time, the most
connections open at once as the collector counted them and as ``pg_stat_activity``
showed them (sampled every 20 ms from a separate session), and rows per table. Targets:
500 databases in at most 60 s with at most 8 connections open. Never fails on time.

    .venv/bin/python benchmarks/bench_data_tier.py [--databases 500] [--bound 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the throwaway-server helpers the tests use

from odoo_shape import create_schema, seed_troubled  # noqa: E402
from servers import PostgresServer, remove_initdb_template  # noqa: E402

from readiness_kit.collectors.postgres import collect_server  # noqa: E402
from readiness_kit.evidence import Evidence  # noqa: E402
from readiness_kit.params import PostgresSource  # noqa: E402

PASSWORD = "Bench-Monitor-Pw-2291"


class ActivitySampler(threading.Thread):
    """Samples the collector's sessions in pg_stat_activity; ``peak`` is the most seen."""

    def __init__(self, server: PostgresServer) -> None:
        super().__init__(daemon=True)
        self.server, self.peak, self.samples = server, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        with self.server.admin() as conn:
            while not self.stop.is_set():
                n = conn.execute("SELECT count(*) FROM pg_stat_activity "
                                 "WHERE application_name = 'readiness-kit'").fetchone()[0]
                self.peak, self.samples = max(self.peak, n), self.samples + 1
                time.sleep(0.02)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--databases", type=int, default=500)
    ap.add_argument("--bound", type=int, default=8)
    args = ap.parse_args()
    server = PostgresServer({"max_connections": "100", "autovacuum": "off"})
    server.start()
    try:
        with server.admin() as c:
            c.execute(f"CREATE ROLE bench LOGIN PASSWORD '{PASSWORD}' "
                      "IN ROLE pg_monitor, pg_read_all_data")
            c.execute("CREATE DATABASE odoo_template")
        with server.admin("odoo_template") as c:
            create_schema(c)
            seed_troubled(c)
        start = time.perf_counter()
        with server.admin() as c:
            for i in range(args.databases):
                c.execute(f"CREATE DATABASE tenant_{i:04d} TEMPLATE odoo_template "
                          "STRATEGY FILE_COPY")
        created = time.perf_counter() - start
        print(f"created {args.databases} databases from a template in {created:.1f} s")

        os.environ["PGPASSWORD"] = PASSWORD
        cfg = PostgresSource(dsn=server.dsn("bench"), name="bench",
                             max_connections_open=args.bound, databases=["tenant_*"])
        sampler = ActivitySampler(server)
        sampler.start()
        ev = Evidence()
        start = time.perf_counter()
        stats = collect_server(cfg, ev)
        elapsed = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
        print(f"collected {stats.databases} databases ({stats.odoo_databases} with Odoo) "
              f"in {elapsed:.1f} s ({elapsed / max(stats.databases, 1) * 1000:.0f} ms per "
              f"database, {stats.databases / elapsed:.0f} databases/s)")
        print(f"most connections open at once: {stats.peak_connections} (collector count), "
              f"{sampler.peak} (pg_stat_activity, {sampler.samples} samples); bound "
              f"{args.bound}; {stats.connections_opened} sessions opened in all")
        print(f"targets: <= 60 s -> {'met' if elapsed <= 60 else 'MISSED'}; "
              f"<= {args.bound} open -> "
              f"{'met' if max(stats.peak_connections, sampler.peak) <= args.bound else 'MISSED'}")
        rows = {n: len(df) for n, df in sorted(ev.tables.items()) if n != "collection_gaps"}
        print("rows:", ", ".join(f"{n} {r}" for n, r in rows.items()))
        print(f"collection gaps: {len(ev.gaps)}")
    finally:
        server.stop()
        remove_initdb_template()


if __name__ == "__main__":
    main()
