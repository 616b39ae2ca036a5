"""Vectorised helpers over evidence tables: the one place checks and charts read evidence.

Checks use these instead of looping over dicts: ``resources(ctx.ev, "microsoft.cache/redis")``
returns a DataFrame with parsed ``props``/``sku_obj``/``tags_obj``/``zones_list`` columns and
``dig(df.props, "highAvailability.mode")`` returns one value per row.

Each JSON column of a table is parsed once per ``Evidence`` (``Evidence.derived``) and then
filtered, so dozens of checks reading the same resources share one parse. Parsed dicts are
shared between callers: read them, never change them in place.

Modules, by source: ``core`` (per-Evidence caching, JSON columns: ``dig``, ``parse_json``;
cells: ``text``, ``truthy``, ``lower_id``...), ``gaps`` (collection gaps: ``gaps_for``),
``attestations`` (``attestation_frame``...), ``azure`` (``resources``, ``arm_details``,
parent resource ids, private endpoints), ``kubernetes`` (``k8s``, platform namespaces, pod
templates and containers, image references) and ``settings`` (lookups in ``pg_settings`` /
``odoo_config`` / ``redis_info``), ``workloads`` (workload controls as typed
columns: ``container_controls``, ``pod_controls``, ``nodes``, ``pvcs``, tenant namespaces)
and ``datatier`` (PostgreSQL quantities and sessions, Odoo databases and odoo.conf roles from
the live data-tier tables). Every public name is importable from
``readiness_kit.frames``.
"""

from __future__ import annotations

from readiness_kit.frames.attestations import NEGATIVE_ANSWERS, attestation_frame, attested_outcome
from readiness_kit.frames.azure import (
    PRIVATE_ENDPOINT,
    arg_table_collected,
    arm_details,
    canonical_location,
    flag,
    has_private_endpoint,
    malformed_rows,
    mark_malformed,
    on_off,
    parent_resource_id,
    private_endpoint_targets,
    reported,
    resources,
    uncollected,
)
from readiness_kit.frames.core import (
    FALSE_WORDS,
    TRUE_WORDS,
    days_since,
    dig,
    dig_one,
    falsy,
    fmt,
    is_dict,
    join_sorted,
    joined_by,
    lower_id,
    parse_json,
    parsed_table,
    per_evidence,
    short_name,
    text,
    truthy,
)
from readiness_kit.frames.datatier import (
    PG_UNITS,
    client_sessions,
    db_subject,
    listed,
    odoo_major,
    odoo_sources,
    option,
    pg_human,
    pg_quantity,
    pg_server_rows,
)
from readiness_kit.frames.gaps import gaps_for
from readiness_kit.frames.kubernetes import (
    CONTROLLER_KINDS,
    CONTROLLER_LABELS,
    JSON_COLUMNS,
    PLATFORM_NAMESPACES,
    POD_SPEC_PATHS,
    controller_pod_specs,
    image_parts,
    is_controlled,
    is_system_namespace,
    json_text,
    k8s,
    pod_containers,
    pod_specs,
    with_json,
    workload_containers,
    workload_pod_specs,
)
from readiness_kit.frames.settings import (
    PG_PARAMETER_TABLES,
    SETTING_TABLES,
    odoo_setting,
    pg_setting,
    setting_values,
)
from readiness_kit.frames.workloads import (
    CONTAINER_CONTROL_COLUMNS,
    POD_CONTROL_COLUMNS,
    ZONE_KEYS,
    container_controls,
    kind_gap,
    nodes,
    pod_controls,
    pod_owner,
    pvcs,
    replicaset_owner,
    tenant_namespaces,
    workload_outcome,
    zone_spread,
)

__all__ = [
    "CONTAINER_CONTROL_COLUMNS", "CONTROLLER_KINDS", "CONTROLLER_LABELS", "FALSE_WORDS",
    "JSON_COLUMNS",
    "NEGATIVE_ANSWERS", "PG_PARAMETER_TABLES", "PLATFORM_NAMESPACES", "POD_CONTROL_COLUMNS",
    "POD_SPEC_PATHS", "PRIVATE_ENDPOINT", "SETTING_TABLES", "TRUE_WORDS", "ZONE_KEYS",
    "arg_table_collected", "arm_details", "attestation_frame", "attested_outcome",
    "canonical_location", "container_controls", "controller_pod_specs", "days_since",
    "dig", "dig_one", "falsy", "flag", "fmt",
    "gaps_for", "has_private_endpoint", "image_parts", "is_controlled", "is_dict",
    "is_system_namespace", "join_sorted", "joined_by", "json_text", "k8s", "kind_gap", "lower_id",
    "malformed_rows",
    "mark_malformed", "nodes", "odoo_setting", "on_off", "parent_resource_id", "parse_json",
    "PG_UNITS", "client_sessions", "db_subject", "listed", "odoo_major", "odoo_sources",
    "option", "parsed_table", "per_evidence", "pg_human", "pg_quantity", "pg_server_rows",
    "pg_setting", "pod_containers", "pod_controls", "pod_owner", "pod_specs",
    "private_endpoint_targets", "pvcs", "replicaset_owner", "reported", "resources",
    "setting_values", "short_name", "tenant_namespaces", "text", "truthy", "uncollected",
    "with_json", "workload_containers", "workload_outcome", "workload_pod_specs",
    "zone_spread",
]
