"""Redis collector: ``INFO all`` and, where the server allows it, ``CONFIG GET`` of the
settings the checks read, into ``redis_info`` (instance, section, key, value).

redis-py with TLS for ``rediss://``; an ACL user name may be in the URL, the password only
in the environment (``REDISCLI_AUTH`` or the variable ``password_env`` names). Socket and
connect timeouts are set and nothing is retried. Azure Cache for Redis refuses CONFIG: the
config rows are then missing and a gap says so (not assessed, never a silent pass).
``requirepass`` / ``masterauth`` are never asked for. One row of section ``collector``
records whether a password was supplied (``password_supplied`` yes/no), never its value.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pandas as pd
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from readiness_kit.evidence import Evidence, TableProvenance
from readiness_kit.redaction import redact_text

COLLECTOR = "readiness_kit.collectors.redis"
#: CONFIG GET parameters read (never requirepass, masterauth or ACL files' contents).
CONFIG_KEYS = ("maxmemory", "maxmemory-policy", "save", "appendonly", "appendfsync",
               "maxclients", "timeout", "tcp-keepalive", "protected-mode", "bind",
               "rename-command", "tls-port", "port", "io-threads", "lazyfree-lazy-eviction")
#: INFO fields never stored (they can reveal where secrets live or are meaningless here).
_SKIP_INFO = {"executable", "config_file"}


def instance_name(cfg) -> str:
    if cfg.name:
        return cfg.name
    parts = urlsplit(cfg.url)
    host = parts.hostname or "localhost"
    return host if parts.port in (None, 6379, 6380) else f"{host}:{parts.port}"


def parse_info(text: str) -> list[tuple[str, str, str]]:
    """Raw INFO text -> (section, key, value), sections lower-cased as Redis names them."""
    rows, section = [], ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            section = line.lstrip("# ").strip().lower()
            continue
        key, sep, value = line.partition(":")
        if sep and key not in _SKIP_INFO:
            rows.append((section, key, value))
    return rows


def validate(cfg, loaded) -> list[str]:
    parts = urlsplit(cfg.url)
    problems = []
    if parts.scheme not in ("redis", "rediss", "unix"):
        problems.append(f"sources.redis.url: expected redis:// or rediss://, got {parts.scheme}://")
    if parts.password:
        problems.append("sources.redis.url: must not carry a password")
    return problems


def client_for(cfg) -> redis.Redis:
    password = os.environ.get(cfg.password_env) or None
    client = redis.Redis.from_url(
        cfg.url, password=password, socket_timeout=cfg.socket_timeout,
        socket_connect_timeout=cfg.socket_timeout, retry_on_timeout=False,
        retry=Retry(NoBackoff(), 0), decode_responses=True, client_name="readiness-kit",
        health_check_interval=0)
    # Keep INFO's raw text: sections and values exactly as the server sent them.
    client.set_response_callback("INFO", lambda response, **_kw: response)
    return client


def collect(cfg, loaded, ev: Evidence, progress) -> None:
    """Collector entry point (see ``readiness_kit.collect``)."""
    name = instance_name(cfg)
    queries = ["INFO all"]
    try:
        client = client_for(cfg)
        with client:
            rows = parse_info(client.execute_command("INFO", "all"))
            # Whether a password was supplied (never the password): INFO answering without
            # one means the server lets anyone in.
            rows.append(("collector", "password_supplied",
                         "yes" if os.environ.get(cfg.password_env) else "no"))
            try:
                config = client.config_get(*CONFIG_KEYS)
                rows += [("config", k, v) for k, v in sorted(config.items())]
                queries.append("CONFIG GET " + " ".join(CONFIG_KEYS))
            except redis.ResponseError as exc:
                ev.add_gap("redis", name, "redis_info", "CONFIG GET (maxmemory, persistence "
                           "and timeout settings as configured)",
                           f"not assessed: the server refused CONFIG ({str(exc)[:120]}); "
                           "Azure Cache for Redis does not allow it, INFO is used instead")
    except (redis.ConnectionError, redis.TimeoutError, redis.AuthenticationError,
            redis.ResponseError, OSError) as exc:
        ev.add_gap("redis", name, "redis_info", "INFO all",
                   f"{type(exc).__name__}: {redact_text(str(exc))[:200]}")
        return
    df = pd.DataFrame([{"instance": name, "section": s, "key": k, "value": redact_text(v)}
                       for s, k, v in rows], columns=["instance", "section", "key", "value"])
    prev = ev.table("redis_info")
    if prev is not None:
        df = pd.concat([prev, df], ignore_index=True)
    ev.add("redis_info", df, TableProvenance("redis", COLLECTOR, "; ".join(queries) +
                                             f" ({urlsplit(cfg.url).scheme}://{name})"))
    progress(f"redis: {name}: {len(rows)} fields")
