"""Assemble a tenant's evidence from its parameters: a bundle, live sources, exports, attestations.

Each source has one collector entry point, named in ``COLLECTORS`` as ``module:function`` and
imported only when the parameters name that source. An entry point has the signature::

    def collect(cfg, loaded: LoadedParameters, ev: Evidence, progress: Progress) -> None

``cfg`` is the source's block of the parameters (``sources.azure`` ...); the collector adds
its tables to ``ev`` (``ev.add``) and records what it could not read with ``ev.add_gap`` —
a failing source gives a partial result with the gap shown, never an exception that stops
the review (bad *input*, such as a malformed export the user pointed at, raises
``EvidenceError`` / ``ParametersError`` with the file and the place). The same entry point
reads the source's offline twin (an export, a manifests folder, a repository, a file) when
the parameters name one, so the same rows give the same findings live and offline.

A source named in the parameters whose collector is not available becomes a collection
gap (shown in the report), never a silent pass.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from readiness_kit.collectors.attestations import add_attestations
from readiness_kit.errors import ParametersError
from readiness_kit.evidence import DEMO_BUNDLE, Evidence, load_bundle
from readiness_kit.params import LoadedParameters

#: ``progress(message)``: a line of progress per source and table (``readiness collect``).
Progress = Callable[[str], None]

LIVE_SOURCES = ("azure", "kubernetes", "postgres", "redis", "odoo", "gitops")

#: Source name -> ``module:function`` of its collector entry point (see module docstring).
COLLECTORS: dict[str, str] = {
    "azure": "readiness_kit.collectors.azure:collect",
    "kubernetes": "readiness_kit.collectors.kubernetes:collect",
    "postgres": "readiness_kit.collectors.postgres:collect",
    "redis": "readiness_kit.collectors.redis:collect",
    "odoo": "readiness_kit.collectors.odoo:collect",
    "gitops": "readiness_kit.collectors.gitops:collect",
}


def _entry_point(source: str) -> Callable | None:
    module_name, _, func = COLLECTORS[source].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None  # this source's collector is not part of this version
        raise
    return getattr(module, func, None)


def _no_progress(_message: str) -> None:
    return None


def collect_sources(loaded: LoadedParameters, ev: Evidence,
                    progress: Progress = _no_progress) -> None:
    """Run the collector of every source the parameters name, adding tables and gaps."""
    sources = loaded.params.sources
    for name in LIVE_SOURCES:
        cfg = getattr(sources, name)
        if cfg is None:
            continue
        entry = _entry_point(name)
        if entry is None:
            ev.add_gap(name, name, "-", f"live collection from {name}",
                       "this version has no collector for this source; "
                       "hand over an evidence bundle instead")
            continue
        progress(f"{name}: collecting")
        entry(cfg, loaded, ev, progress)


def gather_evidence(loaded: LoadedParameters, bundle: str | Path | None = None,
                    progress: Progress = _no_progress) -> Evidence:
    """Evidence for ``loaded``; ``bundle`` stands in for ``sources.evidence`` (a notebook's
    ``evidence_dir``). With a bundle, the other sources are not collected again (the bundle
    is what was collected). Attestations from the parameters file are merged either way."""
    params = loaded.params
    sources = params.sources
    if bundle is not None:
        ev = load_bundle(bundle)
    elif sources.evidence == "demo":
        ev = load_bundle(DEMO_BUNDLE)
    elif sources.evidence:
        path = loaded.resolve(sources.evidence)
        if path is None or not path.exists():
            raise ParametersError(f"sources.evidence: bundle not found at {path}",
                                  path=loaded.path)
        ev = load_bundle(path)
    else:
        ev = Evidence()
        collect_sources(loaded, ev, progress)
    add_attestations(ev, params.attestations, str(loaded.path.name))
    return ev
