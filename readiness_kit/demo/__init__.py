"""The embedded demo tenant ("Demo Retail Group", tenant ``demo-retail``).

The demo is fiction built from real resource shapes: every Azure resource, Kubernetes
object, PostgreSQL and Redis reading is shaped exactly as the real API returns it, but the
company, its names, ids and numbers are invented. ``readiness_kit.demo.build`` is the single
source of truth; ``bundle/`` is its committed output, so ``make demo`` runs offline.
"""

from __future__ import annotations

from pathlib import Path

TENANT = "demo-retail"
BUNDLE: Path = Path(__file__).parent / "bundle"
#: The demo's raw sources (manifests, GitOps repositories...), read by the offline collectors.
SOURCES_DIR: Path = Path(__file__).parent / "sources"

__all__ = ["BUNDLE", "SOURCES_DIR", "TENANT"]
