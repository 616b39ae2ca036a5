"""Engagement parameters: ``parameters/<tenant>.yaml`` validated with pydantic.

Secrets never live in this file. A malformed file gives one ``ParametersError`` naming the
file, the line and key, and what was expected.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from readiness_kit.errors import ParametersError
from readiness_kit.redaction import find_secret

TENANT_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
SECRET_KEY_HINTS = ("password", "passwd", "secret", "token", "apikey", "api_key", "access_key")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AzureSource(_Strict):
    subscriptions: list[str] = Field(default_factory=list, description="Subscription ids")
    credential: Literal[
        "default", "azure_cli", "environment", "managed_identity", "workload_identity"
    ] = "default"
    resource_manager_url: str = Field(
        "https://management.azure.com", description="ARM endpoint (sovereign clouds, test stubs)"
    )
    export: str | None = Field(
        None, description="Offline: `az graph query -o json` output or the portal's Resource "
        "Graph Explorer CSV (a file, or a folder of them) instead of live")
    arm_export: str | None = Field(
        None, description="Offline: saved ARM responses (diagnostic settings, PostgreSQL "
        "configurations, blob services) as a JSON file or folder")
    concurrency: int = Field(4, ge=1, le=32, description="Requests in flight at once")
    timeout_seconds: float = Field(60, gt=0, description="Connect and read timeout per request")
    retries: int = Field(6, ge=0, le=20, description="Retries per request (429, 5xx, bad pages)")
    retry_backoff_seconds: float = Field(0.8, ge=0, description="Exponential back-off base")


class KubernetesSource(_Strict):
    kubeconfig: str | None = None
    context: str | None = None
    manifests: str | None = Field(None, description="Offline manifests or `kubectl get -o json`")
    cluster: str | None = Field(
        None, description="Cluster name recorded in evidence (default: the context's cluster, "
        "or the manifests folder's name)")
    timeout_seconds: float = Field(30, gt=0, le=600, description="Timeout of each API call")


class PostgresSource(_Strict):
    dsn: str = Field(..., description="libpq DSN without a password (use PGPASSWORD or .pgpass)")
    name: str | None = Field(None, description="Server name in the evidence (default: the host)")
    entra_auth: bool = Field(
        False, description="Use a Microsoft Entra ID access token (azure-identity) as password")
    databases: list[str] = Field(
        default_factory=list, description="fnmatch patterns of databases to read (default all)")
    max_connections_open: int = Field(
        8, ge=1, le=64, description="Most connections the collector opens at once")
    connect_timeout: int = Field(10, ge=1, le=120, description="Seconds per connection attempt")
    statement_timeout_ms: int = Field(
        15000, ge=100, le=600000, description="statement_timeout of every collector session")

    @field_validator("dsn")
    @classmethod
    def _no_password(cls, value: str) -> str:
        if "password=" in value.lower() or find_secret(value):
            raise ValueError(
                "the DSN must not carry a password; use PGPASSWORD, .pgpass or a credential chain"
            )
        return value


class RedisSource(_Strict):
    url: str = Field(..., description="redis:// or rediss:// URL without a password "
                     "(an ACL user name, rediss://user@host, is allowed)")
    name: str | None = Field(None, description="Instance name in the evidence (default: host)")
    password_env: str = Field(
        "REDISCLI_AUTH", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Environment variable holding the password or access key")
    socket_timeout: float = Field(5, gt=0, le=120, description="Seconds per command")

    @field_validator("url")
    @classmethod
    def _no_password(cls, value: str) -> str:
        userinfo = value.split("://", 1)[-1].split("/")[0].rpartition("@")[0]
        if ":" in userinfo:
            raise ValueError("the URL must not carry credentials; use REDISCLI_AUTH or Key Vault")
        return value


class OdooSource(_Strict):
    config: str | None = Field(None, description="Path to odoo.conf")
    configs: list[str] = Field(
        default_factory=list,
        description="Several odoo.conf files (web and cron deployments), beside `config`")

    @model_validator(mode="after")
    def _some_file(self) -> OdooSource:
        if not self.config and not self.configs:
            raise ValueError("name an odoo.conf with `config:` or `configs: [...]`")
        return self

    @property
    def files(self) -> list[str]:
        return [*([self.config] if self.config else []), *self.configs]


class GitopsSource(_Strict):
    repo: str = Field(..., description="Path to the GitOps / pipeline repository")
    name: str | None = Field(
        None, description="Repository name recorded in evidence (default: the git remote "
        "`origin` as owner/name, else the folder's name)")


class Sources(_Strict):
    evidence: str | None = Field(
        None, description="Analyse an existing bundle: a path, or `demo` for the built-in demo"
    )
    azure: AzureSource | None = None
    kubernetes: KubernetesSource | None = None
    postgres: PostgresSource | None = None
    redis: RedisSource | None = None
    odoo: OdooSource | None = None
    gitops: GitopsSource | None = None


class Targets(_Strict):
    rpo_minutes: float = Field(15, gt=0, description="Recovery point objective")
    rto_minutes: float = Field(60, gt=0, description="Recovery time objective")
    peak_multiplier: float = Field(3, ge=1, description="Peak-event load over normal load")
    restore_drill_max_age_days: int = Field(180, gt=0)
    min_availability_zones: int = Field(2, ge=1)
    queue_drain_minutes: float = Field(
        60, gt=0, description="Longest acceptable queue_job backlog drain at peak")


class Waiver(_Strict):
    check_id: str = Field(..., pattern=r"^[A-Z]{2,5}(-[A-Z0-9]+)+$")
    subject: str = Field("*", description="fnmatch pattern over the finding subject")
    reason: str = Field(..., min_length=3)
    owner: str = Field(..., min_length=2)
    expires: dt.date


class Attestation(_Strict):
    """An interview answer, kept as evidence labelled *attested*."""

    value: str | int | float | bool | dt.date
    attested_by: str = Field(..., min_length=2)
    attested_at: dt.date
    note: str | None = None


class Profile(_Strict):
    """What the business needs from its hosting, for the hosting-model advice (all optional)."""

    customisation: Literal["low", "medium", "high"] | None = Field(
        None, description="How far Odoo is customised (custom modules, forks)")
    compliance: list[str] = Field(
        default_factory=list, description="Regimes that apply, e.g. pci-dss, gdpr, soc2")
    integrations: int | None = Field(
        None, ge=0, description="Number of external systems integrated (ERP, WMS, PSP, POS)")
    workload_variability: Literal["low", "medium", "high"] | None = Field(
        None, description="How much load swings between normal days and peaks")
    brands: int | None = Field(
        None, ge=1, description="Number of brands or franchisees served by the platform")


class Parameters(_Strict):
    tenant: str = Field(..., pattern=TENANT_PATTERN, description="[a-z0-9-]+, names outputs")
    display_name: str | None = None
    hosting_model: Literal["dedicated", "multi-tenant"] = "dedicated"
    sources: Sources = Field(default_factory=Sources)
    targets: Targets = Field(default_factory=Targets)
    attestations: dict[str, Attestation] = Field(default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)
    profile: Profile = Field(default_factory=Profile)

    @field_validator("attestations")
    @classmethod
    def _no_secret_attestations(cls, value: dict[str, Attestation]) -> dict[str, Attestation]:
        for key in value:
            if any(h in key.lower() for h in SECRET_KEY_HINTS):
                raise ValueError(f"attestation {key!r} looks like a secret; secrets never go here")
        return value

    @property
    def name(self) -> str:
        return self.display_name or self.tenant


class LoadedParameters(BaseModel):
    """Parameters plus where they came from (relative paths resolve against the file)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    params: Parameters
    path: Path

    def resolve(self, value: str | None) -> Path | None:
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.path.parent / p).resolve()


def _key_lines(node: yaml.Node, prefix: tuple = ()) -> dict[tuple, int]:
    """Map each key path in a composed YAML tree to its 1-based line."""
    lines: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = (*prefix, key_node.value)
            lines[path] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, path))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = (*prefix, i)
            lines[path] = item.start_mark.line + 1
            lines.update(_key_lines(item, path))
    return lines


def _describe(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (check spelling; see `readiness schema`)"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if pattern == TENANT_PATTERN:
            return ("expected a tenant id of lowercase letters, digits and hyphens ([a-z0-9-]+),"
                    f" got {err.get('input')!r}")
        return f"expected text matching {pattern}, got {err.get('input')!r}"
    msg = err["msg"]
    if kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    given = err.get("input")
    sensitive = kind == "value_error" or str(err["loc"][-1] if err["loc"] else "") in {"dsn", "url"}
    if (kind != "missing" and not sensitive and not isinstance(given, dict | list)
            and given is not None):
        return f"{msg} (got {given!r})"
    return msg


def parse_parameters(text: str, path: str | Path = "<string>") -> Parameters:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParametersError(f"not valid YAML: {problem}", path=path, where=where) from None
    if not isinstance(data, dict):
        raise ParametersError(
            "expected a mapping with at least `tenant:` at the top level", path=path, where="line 1"
        )
    try:
        return Parameters.model_validate(data)
    except ValidationError as exc:
        lines = _key_lines(root) if root is not None else {}
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            key = ".".join(str(p) for p in loc) or "<top level>"
            line = None
            probe = loc
            while probe and line is None:
                line = lines.get(probe)
                probe = probe[:-1]
            place = f"line {line}, key {key}" if line else f"key {key}"
            problems.append(f"{place}: {_describe(err)}")
        first, *rest = problems
        message = first if not rest else first + "".join(f"\n  also {p}" for p in rest)
        raise ParametersError(message, path=path) from None


def load_parameters(path: str | Path) -> LoadedParameters:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParametersError("file not found", path=p) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParametersError(f"cannot read file: {exc}", path=p) from None
    return LoadedParameters(params=parse_parameters(text, p), path=p.resolve())


def json_schema() -> str:
    schema = Parameters.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "readiness-kit parameters"
    return json.dumps(schema, indent=2, default=str)
