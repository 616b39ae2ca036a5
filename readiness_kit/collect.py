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
from readiness_kit.errors import ParametersError, ReadinessError
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


# --- readiness validate: open every file the parameters point at ---------------------------

#: Parameter key -> what it must be, for sources whose collector has no ``validate`` hook.
_PATH_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "azure": (("export", "file_or_dir"), ("arm_export", "file_or_dir")),
    "kubernetes": (("kubeconfig", "file"), ("manifests", "file_or_dir")),
    "odoo": (("config", "odoo_conf"),),
    "gitops": (("repo", "dir"),),
}


def _check_path(loaded: LoadedParameters, key: str, value: str, kind: str) -> str | None:
    path = loaded.resolve(value)
    if path is None or not path.exists():
        return f"{key}: not found: {path}"
    if kind == "dir" and not path.is_dir():
        return f"{key}: expected a folder: {path}"
    if kind in ("file", "odoo_conf") and not path.is_file():
        return f"{key}: expected a file: {path}"
    if kind == "file_or_dir" and path.is_dir() and not any(path.iterdir()):
        return f"{key}: the folder is empty: {path}"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                fh.read(1)
        except OSError as exc:
            return f"{key}: cannot be read: {path}: {exc.strerror}"
    if kind == "odoo_conf":
        import configparser

        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
        except configparser.MissingSectionHeaderError:
            return f"{key}: {path}: expected an [options] section header on top (odoo.conf)"
        except (configparser.Error, UnicodeDecodeError) as exc:
            return f"{key}: not a valid odoo.conf: {path}: {str(exc).splitlines()[0]}"
        if not parser.has_section("options"):
            return f"{key}: {path}: expected an [options] section (odoo.conf)"
    return None


def validate_sources(loaded: LoadedParameters) -> list[str]:
    """Every file the parameters point at, opened: one readable line per problem.

    A source's collector module may expose ``validate(cfg, loaded) -> list[str]`` to read
    its files in full (the Azure exports row by row); otherwise each path is checked to
    exist and be readable, and ``sources.evidence`` is loaded and its hashes verified.
    """
    problems: list[str] = []
    sources = loaded.params.sources
    if sources.evidence and sources.evidence != "demo":
        path = loaded.resolve(sources.evidence)
        try:
            load_bundle(path)
        except ReadinessError as exc:
            problems.append(f"sources.evidence: {exc.render()}")
    for name in LIVE_SOURCES:
        cfg = getattr(sources, name)
        if cfg is None:
            continue
        module_name = COLLECTORS[name].partition(":")[0]
        try:
            hook = getattr(importlib.import_module(module_name), "validate", None)
        except ModuleNotFoundError as exc:
            if not (exc.name and module_name.startswith(exc.name)):
                raise
            hook = None
        if hook is not None:
            problems += hook(cfg, loaded)
            continue
        for key, kind in _PATH_KEYS.get(name, ()):
            value = getattr(cfg, key, None)
            if value:
                problem = _check_path(loaded, f"sources.{name}.{key}", value, kind)
                if problem:
                    problems.append(problem)
    return problems
