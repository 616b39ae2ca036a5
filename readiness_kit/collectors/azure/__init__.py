"""Azure: Resource Graph rows and ARM details, collected live or read from offline exports.

The collector entry point ``collect`` (see ``readiness_kit.collect``) reads, for
``sources.azure``:

- live, when no export is named: every Resource Graph table of
  ``resource_graph.ARG_TABLES`` for the subscriptions (``resource_graph``), then the ARM
  details Resource Graph lacks (``arm``), with the credential of ``credentials``;
- offline: ``export`` (``az graph query -o json`` output or the portal's CSV) and
  ``arm_export`` (saved ARM responses), through ``export``.

Both go through ``rows.normalise_arg_row`` / ``rows.arm_detail_record``, so the same rows
give the same findings live and offline. What could not be read is a collection gap.
"""

from __future__ import annotations

from azure.core.exceptions import ClientAuthenticationError
from azure.identity import CredentialUnavailableError

from readiness_kit.collectors.azure.arm import read_details
from readiness_kit.collectors.azure.credentials import make_credential, token_scope
from readiness_kit.collectors.azure.export import (
    gather_arg_export,
    gather_arm_export,
    read_arg_export,
)
from readiness_kit.collectors.azure.gathered import Gathered
from readiness_kit.collectors.azure.pipeline import CollectionSettings, ThrottlePolicy
from readiness_kit.collectors.azure.resource_graph import query_tables
from readiness_kit.collectors.azure.rows import RowShapeError, normalise_arg_row
from readiness_kit.errors import ParametersError, ReadinessError
from readiness_kit.evidence import Evidence

__all__ = ["RowShapeError", "collect", "normalise_arg_row", "read_arg_export", "validate"]

LIVE_COLLECTOR = "readiness_kit.collectors.azure"
EXPORT_COLLECTOR = "readiness_kit.collectors.azure.export"
ARM_WHAT = "ARM details (diagnostic settings, PostgreSQL configurations, blob services)"


def settings_of(cfg) -> CollectionSettings:
    return CollectionSettings(timeout_seconds=cfg.timeout_seconds, retries=cfg.retries,
                              retry_backoff_seconds=cfg.retry_backoff_seconds,
                              concurrency=cfg.concurrency)


def _gather_offline(cfg, loaded) -> Gathered:
    got = Gathered()
    if cfg.export:
        gather_arg_export(loaded.resolve(cfg.export), got)
    else:
        got.gap("*", "azure_resources", "Resource Graph rows",
                "sources.azure names saved ARM responses but no Resource Graph export")
    if cfg.arm_export:
        gather_arm_export(loaded.resolve(cfg.arm_export), got)
    else:
        got.gap("*", "azure_arm_details", ARM_WHAT,
                "not in the offline export; add sources.azure.arm_export (saved ARM "
                "responses) or collect live")
    return got


def _gather_live(cfg, loaded, progress) -> Gathered:
    url = cfg.resource_manager_url
    if not url.lower().startswith("https://"):
        raise ParametersError("sources.azure.resource_manager_url: expected an https:// URL "
                              f"(bearer tokens are never sent in clear), got {url!r}",
                              path=loaded.path)
    settings = settings_of(cfg)
    scope = ",".join(cfg.subscriptions) or "*"
    credential = make_credential(cfg.credential, url)
    try:
        try:
            credential.get_token(token_scope(url))
        except (ClientAuthenticationError, CredentialUnavailableError) as exc:
            got = Gathered()
            reason = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else "no token"
            for table in ("azure_resources", "azure_arm_details"):
                got.gap(scope, table, f"Azure sign-in with credential {cfg.credential}", reason)
            return got
        throttle = ThrottlePolicy(settings)
        got = query_tables(credential, url, cfg.subscriptions, settings, throttle, progress)
        subs = cfg.subscriptions or sorted({r["subscription_id"] for r in got.resources
                                            if r["subscription_id"]})
        got.extend(read_details(credential, url, got.resources, subs, settings, throttle,
                                progress))
        if throttle.waits:
            progress(f"azure: held back {throttle.waits} times ({throttle.waited_seconds:.1f}s) "
                     "for the quota headers")
        return got
    finally:
        close = getattr(credential, "close", None)
        if close:
            close()


def collect(cfg, loaded, ev: Evidence, progress) -> None:
    """Collector entry point (see ``readiness_kit.collect``)."""
    offline = bool(cfg.export or cfg.arm_export)
    got = _gather_offline(cfg, loaded) if offline else _gather_live(cfg, loaded, progress)
    if offline:
        progress(f"azure: export: {len(got.resources)} rows, {len(got.details)} ARM details, "
                 f"{len(got.gaps)} gaps")
    got.add_to(ev, EXPORT_COLLECTOR if offline else LIVE_COLLECTOR)


def validate(cfg, loaded) -> list[str]:
    """Problems with the files ``sources.azure`` points at (opened and read in full)."""
    problems: list[str] = []
    for key, gather in (("export", gather_arg_export), ("arm_export", gather_arm_export)):
        value = getattr(cfg, key)
        if not value:
            continue
        got = Gathered()
        try:
            gather(loaded.resolve(value), got)
        except ReadinessError as exc:
            problems.append(f"sources.azure.{key}: {exc.render()}")
            continue
        got.finish()
        problems += [f"sources.azure.{key}: {g['what']}: {g['reason']}" for g in got.gaps]
    return problems
