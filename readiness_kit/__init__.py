"""readiness-kit: deployment readiness reviews for retail platforms running Odoo on Azure."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("readiness-kit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

DOMAINS: tuple[str, ...] = (
    "architecture",
    "scalability",
    "security",
    "resilience",
    "operations",
    "devops",
)
DOMAIN_TITLES: dict[str, str] = {
    "architecture": "Architecture",
    "scalability": "Scalability",
    "security": "Security",
    "resilience": "Resilience",
    "operations": "Operations",
    "devops": "DevOps",
}
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
STATUSES: tuple[str, ...] = ("pass", "fail", "not_assessed", "error", "waived")
GATES: tuple[str, ...] = ("ready", "conditional", "not_ready")
