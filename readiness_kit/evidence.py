"""Evidence bundle: named tables stored as Parquet plus ``manifest.json``.

A bundle is the hand-over point between collection (inside a client's network) and
analysis (anywhere, offline, reproducible). Every table records its provenance and the
sha256 of its file; loading verifies each hash and names the table that does not match.

Nested source data (ARM ``properties``, Kubernetes ``spec``) is kept as JSON text columns so
the shapes stay exactly what the source returned; ``readiness_kit.frames`` parses them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from readiness_kit import __version__
from readiness_kit.errors import EvidenceError
from readiness_kit.redaction import assert_no_secrets

T = TypeVar("T")
FORMAT = "readiness-kit/evidence@1"
DEMO_BUNDLE = Path(__file__).parent / "demo" / "bundle"


@dataclass(frozen=True)
class TableSpec:
    name: str
    source: str
    description: str
    columns: dict[str, pa.DataType]


def _spec(table: str, source: str, description: str, /, **columns: pa.DataType) -> TableSpec:
    return TableSpec(table, source, description, columns)


S, B, INT, F, D = pa.string(), pa.bool_(), pa.int64(), pa.float64(), pa.date32()

#: Every table a collector may fill. Columns holding JSON text end in the source's own name
#: (``properties``, ``spec``...). A table absent from a bundle means "not collected".
TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in [
        _spec(
            "azure_resources", "azure",
            "Azure Resource Graph rows (Resources, PolicyResources, AuthorizationResources, "
            "RecoveryServicesResources...), one per resource, shapes as ARM returns them.",
            id=S, name=S, type=S, kind=S, location=S, resource_group=S, subscription_id=S,
            arg_table=S, sku=S, zones=S, tags=S, identity=S, properties=S,
        ),
        _spec(
            "azure_arm_details", "azure",
            "ARM reads that Resource Graph lacks: diagnosticSettings, blobServices, "
            "PostgreSQL configurations, Key Vault settings; one row per sub-resource.",
            resource_id=S, detail_type=S, name=S, properties=S,
        ),
        _spec(
            "k8s_objects", "kubernetes",
            "Kubernetes objects (no Secret data: Secrets and ConfigMaps keep metadata, type "
            "and the number of keys only; secret-looking env values are <redacted>). "
            "owner is the controlling ownerReference (Kind/name), created_at the "
            "creationTimestamp.",
            cluster=S, api_version=S, kind=S, namespace=S, name=S, labels=S, annotations=S,
            spec=S, status=S, owner=S, created_at=S,
        ),
        _spec(
            "pg_settings", "postgres", "pg_settings of each server.",
            server=S, name=S, setting=S, unit=S, category=S, source=S, pending_restart=B,
        ),
        _spec(
            "pg_databases", "postgres", "Databases with size and wraparound age.",
            server=S, datname=S, size_bytes=INT, encoding=S, connection_limit=INT,
            age_datfrozenxid=INT, is_template=B, owner=S,
        ),
        _spec(
            "pg_activity", "postgres",
            "pg_stat_activity aggregated (never query text): connections per db/user/app/state.",
            server=S, datname=S, usename=S, application_name=S, backend_type=S, state=S,
            connections=INT, oldest_xact_seconds=F,
        ),
        _spec(
            "pg_replication", "postgres", "pg_stat_replication and replication slots.",
            server=S, application_name=S, state=S, sync_state=S, replay_lag_seconds=F,
            slot_name=S, slot_active=B,
        ),
        _spec(
            "pg_roles", "postgres", "Roles and their attributes (never password hashes).",
            server=S, rolname=S, superuser=B, createrole=B, createdb=B, can_login=B,
            replication=B, bypass_rls=B, connection_limit=INT, valid_until=S, member_of=S,
        ),
        _spec(
            "pg_extensions", "postgres", "Installed extensions per database.",
            server=S, datname=S, extname=S, extversion=S,
        ),
        _spec(
            "redis_info", "redis", "INFO all, one row per field (instance, section, key, value).",
            instance=S, section=S, key=S, value=S,
        ),
        _spec(
            "odoo_config", "odoo",
            "odoo.conf options (secret options keep presence only: value '<redacted>').",
            source=S, section=S, key=S, value=S,
        ),
        _spec(
            "gitops_pipelines", "gitops",
            "CI/CD pipeline definitions, normalised: one row per pipeline x target environment.",
            repo=S, path=S, system=S, name=S, environment=S, trigger=S, runs_tests=B,
            builds_image=B, scans_image=B, signs_image=B, requires_approval=B,
            deploy_method=S, has_rollback=B, pins_digest=B,
        ),
        _spec(
            "gitops_releases", "gitops",
            "What each environment overlay deploys: one row per environment x component.",
            repo=S, environment=S, component=S, image=S, tag=S, digest=S, replicas=INT,
            chart_version=S, config_sha256=S,
        ),
        _spec(
            "attestations", "attested",
            "Interview answers kept as evidence, labelled attested, with who and when.",
            key=S, value=S, attested_by=S, attested_at=D, note=S,
        ),
        _spec(
            "collection_gaps", "toolkit",
            "What a collector could not read, and why; shown in the report.",
            source=S, scope=S, table=S, what=S, reason=S,
        ),
        _spec(
            "pg_server", "postgres",
            "One row per server: version, recovery, uptime, pg_stat_archiver, checkpoints "
            "(pg_stat_checkpointer on 17+, pg_stat_bgwriter before), pg_stat_database totals "
            "(cache hits and reads, commits, rollbacks, deadlocks, temp bytes), the role the "
            "collector connected as and the monitoring roles it holds (``privileges``, "
            "comma-separated: superuser, pg_monitor, pg_read_all_settings, pg_read_all_stats, "
            "pg_read_all_data). Ages are seconds before collection; NaN when never.",
            server=S, version=S, version_num=INT, in_recovery=B, uptime_seconds=F,
            archived_count=INT, failed_count=INT, last_archived_age_seconds=F,
            last_failed_age_seconds=F, checkpoints_timed=INT, checkpoints_requested=INT,
            checkpoint_stats_age_seconds=F, blks_hit=INT, blks_read=INT, xact_commit=INT,
            xact_rollback=INT, deadlocks=INT, temp_bytes=INT, connected_as=S, privileges=S,
        ),
        _spec(
            "pg_ssl", "postgres",
            "pg_stat_ssl joined to pg_stat_activity, aggregated: client connections per "
            "database, user, application, TLS or not and TLS version (never query text).",
            server=S, datname=S, usename=S, application_name=S, ssl=B, version=S,
            connections=INT,
        ),
        _spec(
            "pg_slots", "postgres",
            "pg_replication_slots with the WAL each retains (bytes behind the current WAL "
            "position; on a standby, behind the last replayed position).",
            server=S, slot_name=S, slot_type=S, datname=S, active=B, temporary=B,
            wal_status=S, retained_wal_bytes=INT,
        ),
        _spec(
            "pg_tables", "postgres",
            "The largest tables of every database (up to 20 each, by total size) from "
            "pg_stat_user_tables: live and dead tuples (the bloat estimate is dead / (live + "
            "dead)), seconds since the last (auto)vacuum and analyze, scans.",
            server=S, datname=S, schema=S, table=S, total_bytes=INT, live_tuples=INT,
            dead_tuples=INT, seq_scan=INT, idx_scan=INT, vacuum_age_seconds=F,
            analyze_age_seconds=F,
        ),
        _spec(
            "pg_indexes", "postgres",
            "Indexes of every database: the 30 largest plus every invalid one, with scans "
            "since the statistics reset (pg_stat_user_indexes) and whether they back a "
            "primary key or unique constraint.",
            server=S, datname=S, schema=S, table=S, index=S, size_bytes=INT, idx_scan=INT,
            is_valid=B, is_unique=B, is_primary=B,
        ),
        _spec(
            "odoo_databases", "postgres",
            "One row per database holding Odoo's schema (ir_module_module): the base "
            "module's version, installed modules (comma-separated, sorted), companies, "
            "active internal users, ir_attachment.location (file when unset) and the "
            "attachments whose bytes live in the database (count, bytes) against all.",
            server=S, datname=S, version=S, modules_installed=INT, modules=S, companies=INT,
            users_internal=INT, attachment_location=S, attachments=INT, attachments_in_db=INT,
            attachments_in_db_bytes=INT, queue_job=B,
        ),
        _spec(
            "odoo_crons", "postgres",
            "ir_cron rows of every Odoo database: interval, how late the next call is "
            "(``lag_seconds`` = collection time - nextcall; negative when not due), seconds "
            "since the last call and the failure counters (Odoo 18+; null before).",
            server=S, datname=S, cron_id=INT, name=S, active=B, interval_number=INT,
            interval_type=S, lag_seconds=F, lastcall_age_seconds=F, failure_count=INT,
            first_failure_age_seconds=F,
        ),
        _spec(
            "odoo_jobs", "postgres",
            "OCA queue_job aggregated per database, channel and state: jobs, the oldest "
            "created, the oldest enqueued and the oldest started (seconds before collection).",
            server=S, datname=S, channel=S, state=S, jobs=INT, oldest_created_seconds=F,
            oldest_enqueued_seconds=F, oldest_started_seconds=F,
        ),
        _spec(
            "odoo_business", "postgres",
            "Business backlog per Odoo database: sale orders waiting confirmation "
            "(signal ``sale_order``, states draft/sent) and stock moves waiting (signal "
            "``stock_move``, states waiting/confirmed/partially_available), counted per "
            "state with the oldest age (seconds since create_date).",
            server=S, datname=S, signal=S, state=S, records=INT, oldest_age_seconds=F,
        ),
    ]
}


def empty_table(name: str) -> pd.DataFrame:
    spec = TABLES[name]
    return pa.schema(list(spec.columns.items())).empty_table().to_pandas()


def _conform(name: str, df: pd.DataFrame | pa.Table) -> pa.Table:
    """Cast a DataFrame (or an Arrow table read from a bundle, without a pandas round trip)
    to the table's declared schema (extra columns are an error)."""
    spec = TABLES.get(name)
    if spec is None:
        raise EvidenceError(f"unknown evidence table {name!r}; known: {', '.join(TABLES)}")
    columns = df.column_names if isinstance(df, pa.Table) else df.columns
    extra = set(columns) - set(spec.columns)
    if extra:
        raise EvidenceError(f"table {name!r} has undeclared columns {sorted(extra)}")
    missing = set(spec.columns) - set(columns)
    if missing:
        raise EvidenceError(f"table {name!r} lacks columns {sorted(missing)}")
    schema = pa.schema(list(spec.columns.items()))
    try:
        if isinstance(df, pa.Table):
            table = df.select(list(spec.columns))
            for fld in table.schema:  # cast only what pandas would have converted losslessly
                want = schema.field(fld.name).type
                if fld.type != want and not pa.types.is_null(fld.type) and not (
                        pa.types.is_string(want) and pa.types.is_large_string(fld.type)):
                    raise pa.ArrowTypeError(f"column {fld.name!r} is {fld.type}, expected {want}")
            return table.cast(schema)
        return pa.Table.from_pandas(df[list(spec.columns)], schema=schema, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise EvidenceError(f"table {name!r} does not match its schema: {exc}") from None


@dataclass
class TableProvenance:
    source: str
    collector: str
    query: str
    collected_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())
    collector_version: str = __version__


@dataclass
class Evidence:
    """Named evidence tables plus their provenance.

    ``table(name)`` returns ``None`` for a table that was not collected: checks must turn
    that into ``not_assessed``, never a silent pass.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    provenance: dict[str, TableProvenance] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    path: Path | None = None
    _derived: dict = field(default_factory=dict, repr=False, compare=False)

    def add(self, name: str, df: pd.DataFrame, provenance: TableProvenance) -> None:
        table = _conform(name, df)  # validate now, not at write time
        self.tables[name] = table.to_pandas()
        self.provenance[name] = provenance
        self._derived.clear()

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """Compute a value derived from the tables once (parsed JSON, the capacity model...).

        Dozens of checks and charts read the same parsed frames; this keeps one copy per
        Evidence, dropped whenever a table is added. DataFrames come back as shallow copies
        (Copy-on-Write keeps the cached one intact).
        """
        if key not in self._derived:
            self._derived[key] = build()
        value = self._derived[key]
        return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value

    def has(self, name: str) -> bool:
        return name in self.tables

    def table(self, name: str) -> pd.DataFrame | None:
        if name not in TABLES:
            raise KeyError(f"unknown evidence table {name!r}")
        return self.tables.get(name)

    @property
    def gaps(self) -> pd.DataFrame:
        return self.tables.get("collection_gaps", empty_table("collection_gaps"))

    def add_gap(self, source: str, scope: str, table: str, what: str, reason: str) -> None:
        row = pd.DataFrame([dict(source=source, scope=scope, table=table, what=what,
                                 reason=reason)])
        gaps = pd.concat([self.gaps, row], ignore_index=True)
        prov = self.provenance.get("collection_gaps") or TableProvenance(
            "toolkit", "readiness_kit.evidence", "collection gaps recorded during collection")
        self.add("collection_gaps", gaps, prov)

    @property
    def sha256(self) -> str:
        return self.manifest.get("bundle_sha256", "")


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _bundle_sha256(tables: dict[str, dict]) -> str:
    lines = "".join(f"{n}:{t['sha256']}\n" for n, t in sorted(tables.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def write_bundle(evidence: Evidence, directory: str | Path, *, tenant: str | None = None) -> dict:
    """Write every table as Parquet plus manifest.json; returns the manifest."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, dict] = {}
    for name in sorted(evidence.tables):
        df = evidence.tables[name]
        assert_no_secrets(df, where=f"evidence table {name}")
        table = _conform(name, df)
        file = out / f"{name}.parquet"
        pq.write_table(table, file, compression="zstd")
        prov = evidence.provenance[name]
        tables[name] = {
            "file": file.name,
            "source": prov.source,
            "collector": prov.collector,
            "collector_version": prov.collector_version,
            "collected_at": prov.collected_at,
            "query": prov.query,
            "rows": table.num_rows,
            "sha256": _file_sha256(file),
        }
    manifest = {
        "format": FORMAT,
        "toolkit_version": __version__,
        "tenant": tenant,
        "written_at": dt.datetime.now(dt.UTC).isoformat(),
        "tables": tables,
        "bundle_sha256": _bundle_sha256(tables),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    evidence.manifest = manifest
    evidence.path = out
    return manifest


def load_bundle(directory: str | Path, *, verify: bool = True) -> Evidence:
    """Load a bundle; with ``verify`` every file's sha256 must match the manifest."""
    root = Path(directory)
    manifest_path = root / "manifest.json"
    if not root.is_dir():
        raise EvidenceError("evidence bundle directory not found", path=root)
    if not manifest_path.is_file():
        raise EvidenceError("manifest.json is missing; not an evidence bundle", path=root)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EvidenceError(f"manifest is not valid JSON: {exc}", path=manifest_path) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise EvidenceError(f"expected \"format\": \"{FORMAT}\"", path=manifest_path)
    entries = manifest.get("tables")
    if not isinstance(entries, dict):
        raise EvidenceError("expected \"tables\" to be an object", path=manifest_path)
    evidence = Evidence(manifest=manifest, path=root)
    for name, entry in sorted(entries.items()):
        where = f"table {name}"
        if name not in TABLES:
            raise EvidenceError(f"unknown table; known: {', '.join(TABLES)}",
                                path=manifest_path, where=where)
        required = {"file", "sha256", "source", "collector", "query", "collected_at"}
        if not isinstance(entry, dict) or not required <= entry.keys():
            raise EvidenceError(f"expected keys {sorted(required)}", path=manifest_path,
                                where=where)
        file = root / Path(entry["file"]).name
        if not file.is_file():
            raise EvidenceError("file listed in manifest is missing", path=file, where=where)
        if verify:
            actual = _file_sha256(file)
            if actual != entry["sha256"]:
                raise EvidenceError(
                    f"sha256 mismatch: manifest says {entry['sha256'][:12]}..., file is "
                    f"{actual[:12]}...; the bundle was altered after collection",
                    path=file, where=where)
        try:
            table = pq.read_table(file)
        except (pa.ArrowInvalid, OSError) as exc:
            raise EvidenceError(f"not a readable Parquet file: {exc}", path=file,
                                where=where) from None
        evidence.tables[name] = _conform(name, table).to_pandas()
        evidence.provenance[name] = TableProvenance(
            source=entry["source"], collector=entry["collector"], query=entry["query"],
            collected_at=entry["collected_at"],
            collector_version=entry.get("collector_version", "unknown"))
    if verify and manifest.get("bundle_sha256") != _bundle_sha256(entries):
        raise EvidenceError("bundle_sha256 does not match the table hashes",
                            path=manifest_path)
    return evidence


def _cell(value: object, dtype: pa.DataType) -> object:
    if dtype == pa.string() and isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def evidence_from_records(
    tables: dict[str, list[dict]],
    *,
    collector: str = "fixture",
    query: str = "records supplied in code",
    collected_at: str | None = None,
) -> Evidence:
    """Build Evidence from plain records (tests, the demo builder, offline importers).

    Missing columns become null; dict/list values in string columns are stored as JSON.
    """
    ev = Evidence()
    for name, rows in tables.items():
        spec = TABLES[name]
        unknown = {k for r in rows for k in r} - set(spec.columns)
        if unknown:
            raise EvidenceError(f"table {name!r} has no columns {sorted(unknown)}")
        data = {
            col: [_cell(r.get(col), dtype) for r in rows] for col, dtype in spec.columns.items()
        }
        df = pa.table(data, schema=pa.schema(list(spec.columns.items()))).to_pandas()
        prov = TableProvenance(source=spec.source, collector=collector, query=query)
        if collected_at:
            prov.collected_at = collected_at
        ev.add(name, df, prov)
    return ev
