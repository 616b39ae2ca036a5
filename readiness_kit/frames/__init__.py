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
templates and containers, image references), ``settings`` (lookups in ``pg_settings`` /
``odoo_config`` / ``redis_info``) and ``datatier`` (PostgreSQL quantities and sessions, Odoo
databases and odoo.conf roles from the live data-tier tables). Every public name is importable from
``readiness_kit.frames``.
"""

from __future__ import annotations

from readiness_kit.frames.attestations import NEGATIVE_ANSWERS, attestation_frame, attested_outcome
from readiness_kit.frames.azure import (
    PRIVATE_ENDPOINT,
    arm_details,
    has_private_endpoint,
    parent_resource_id,
    private_endpoint_targets,
    resources,
)
from readiness_kit.frames.core import (
    FALSE_WORDS,
    TRUE_WORDS,
    days_since,
    dig,
    falsy,
    fmt,
    is_dict,
    join_sorted,
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
    PLATFORM_NAMESPACES,
    POD_SPEC_PATHS,
    image_parts,
    is_system_namespace,
    k8s,
    pod_containers,
    pod_specs,
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

__all__ = [
    "FALSE_WORDS", "NEGATIVE_ANSWERS", "PG_PARAMETER_TABLES", "PLATFORM_NAMESPACES",
    "POD_SPEC_PATHS", "PRIVATE_ENDPOINT", "SETTING_TABLES", "TRUE_WORDS", "arm_details",
    "attestation_frame", "attested_outcome", "days_since", "dig", "falsy", "fmt",
    "gaps_for", "has_private_endpoint", "image_parts", "is_dict", "is_system_namespace",
    "join_sorted", "k8s", "lower_id", "odoo_setting", "parent_resource_id", "parse_json",
    "parsed_table", "per_evidence", "pg_setting", "pod_containers", "pod_specs",
    "private_endpoint_targets", "resources", "setting_values", "short_name", "text",
    "truthy", "workload_containers", "workload_pod_specs",
    # data tier (datatier.py)
    "PG_UNITS", "client_sessions", "db_subject", "listed", "odoo_major", "odoo_sources", "option",
    "pg_human", "pg_quantity", "pg_server_rows",
]
