"""Assemble a tenant's evidence from its parameters: a bundle, exports, attestations.

Live collectors plug in here source by source. A source named in the parameters that this
version cannot read becomes a *collection gap* (shown in the report), never a silent pass.
"""

from __future__ import annotations

from pathlib import Path

from readiness_kit.collectors.attestations import add_attestations
from readiness_kit.collectors.azure import read_arg_export
from readiness_kit.errors import ParametersError
from readiness_kit.evidence import DEMO_BUNDLE, Evidence, load_bundle
from readiness_kit.params import LoadedParameters

LIVE_SOURCES = ("azure", "kubernetes", "postgres", "redis", "odoo", "gitops")


def gather_evidence(loaded: LoadedParameters, bundle: str | Path | None = None) -> Evidence:
    """Evidence for ``loaded``; ``bundle`` stands in for ``sources.evidence`` (a notebook's
    ``evidence_dir``). Attestations from the parameters file are merged either way."""
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
    azure = sources.azure
    if azure and azure.export:
        export = read_arg_export(loaded.resolve(azure.export))
        ev.add("azure_resources", export.tables["azure_resources"],
               export.provenance["azure_resources"])
    for name in LIVE_SOURCES:
        cfg = getattr(sources, name)
        if cfg is None or sources.evidence or bundle or (name == "azure" and cfg.export):
            continue
        ev.add_gap(name, name, "-", f"live collection from {name}",
                   "this version analyses evidence bundles and exports only; "
                   "collect with a later release or hand over a bundle")
    add_attestations(ev, params.attestations, str(loaded.path.name))
    return ev
