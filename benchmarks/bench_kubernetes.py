"""20,000 Kubernetes objects read from files, bundled, and checked, in one run.

Generates an AKS estate of Odoo shops (``benchmarks/k8s_estate.py``) as a
``kubectl get -o json`` List dump and as a manifests folder (one YAML file per namespace),
and prints, measured in the same run:

* reading each through the collector (``collectors.kubernetes.add_manifests``: the JSON
  dump and the YAML folder, which must give the same rows);
* writing the evidence bundle and loading it back;
* the whole catalogue of checks on the loaded bundle (``checks.run_checks``, the entry
  point ``review.build_review`` uses, on a fresh Evidence: no warm caches), and the
  Kubernetes checks alone (those that read ``k8s_objects``), each in a child process of
  its own so that its peak memory (RSS high-water mark, ``ru_maxrss``) is its own (the
  generating and reading run in a child too, so that no child inherits a large parent's);
* the ten slowest checks (``run_checks(..., timings)``; a frame that several checks read is
  paid for by the first of them) and, in one more run under ``tracemalloc``, the peak of
  Python allocations during the Kubernetes checks;
* the load average at the start and the end (the machine is shared), and a digest of the
  findings (so that a change to the frames can be shown not to change a finding);
* a last SUMMARY line: objects, read time, check time (wall and CPU), peak RSS.

Target (issue 6): the checks on 20,000 objects in at most 5 s and 1 GB peak memory.
Never fails on time; prints figures.

    .venv/bin/python benchmarks/bench_kubernetes.py [--objects 20000] [--seed 0]
        [--repeat 2] [--keep DIR] [--findings FILE] [--no-tracemalloc]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from k8s_estate import write_list_dump, write_manifests  # noqa: E402  (a sibling script)

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-27"
PARAMS = {
    "tenant": "shops", "display_name": "Generated AKS estate", "hosting_model": "multi-tenant",
    "targets": {"rpo_minutes": 15, "rto_minutes": 60, "min_availability_zones": 2},
}


def peak_rss_mb() -> float:
    """This process's resident-memory high-water mark (``ru_maxrss``, KB on Linux), MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def read_files(dump: Path, folder: Path, bundle: Path) -> dict[str, float]:
    """Read both forms through the collector, compare them, write and load the bundle;
    returns the seconds each read took (``json``, ``yaml``)."""
    from readiness_kit.collectors.kubernetes import TABLE, add_manifests
    from readiness_kit.evidence import Evidence, load_bundle, write_bundle

    evs, took_s = {}, {}
    for label, source in (("kubectl get -o json List", dump), ("manifests folder (YAML)",
                                                               folder)):
        ev = Evidence()
        start = time.perf_counter()
        n = add_manifests(ev, source, "aks-shops", query_root=source.name,
                          collected_at="2026-11-27T08:00:00+00:00")
        took = time.perf_counter() - start
        size = (source.stat().st_size if source.is_file() else
                sum(p.stat().st_size for p in source.iterdir()))
        print(f"read {label}: {n:,} objects, {size / 1e6:.0f} MB, {took:.2f} s")
        evs[label] = ev
        took_s["json" if source.is_file() else "yaml"] = took
    json_rows, yaml_rows = (e.table(TABLE) for e in evs.values())
    same = json_rows.astype(str).equals(yaml_rows.astype(str))
    print(f"same k8s_objects rows from both: {'yes' if same else 'NO'}")
    start = time.perf_counter()
    write_bundle(evs["kubectl get -o json List"], bundle, tenant="shops")
    wrote = time.perf_counter() - start
    start = time.perf_counter()
    load_bundle(bundle)
    print(f"bundle: write {wrote:.2f} s, load {time.perf_counter() - start:.2f} s, "
          f"{sum(p.stat().st_size for p in bundle.iterdir()) / 1e6:.1f} MB")
    return took_s


def check_child(bundle: str, which: str, findings: str | None, traced: bool) -> None:
    """In a child process: load the bundle, run the checks, print one JSON line. With
    ``traced``, under tracemalloc (slower): the peak of Python allocations during the
    checks."""
    import hashlib
    import tracemalloc

    from readiness_kit.checks import REGISTRY, CheckContext, run_checks
    from readiness_kit.evidence import load_bundle
    from readiness_kit.params import Parameters

    params = Parameters.model_validate(PARAMS)
    checks = list(REGISTRY.values())
    if which == "kubernetes":
        checks = [c for c in checks if "k8s_objects" in (*c.requires, *c.requires_any)]
    before = peak_rss_mb()
    start = time.perf_counter()
    ev = load_bundle(bundle)
    loaded = time.perf_counter() - start
    timings: dict[str, float] = {}
    if traced:
        tracemalloc.start()
    cpu = time.process_time()
    start = time.perf_counter()
    out = run_checks(CheckContext(ev=ev, params=params, as_of=dt.date.fromisoformat(AS_OF)),
                     checks if which == "kubernetes" else None, timings)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    traced_mb = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    tracemalloc.stop()
    ordered = out.sort_values(["check_id", "subject", "status", "detail"]).reset_index(drop=True)
    text = ordered[["check_id", "subject", "status", "detail"]].to_json(orient="records")
    if findings:
        Path(findings).write_text(text, encoding="utf-8")
    print(json.dumps({
        "checks": len(checks), "findings": len(out), "load": loaded, "wall": wall, "cpu": cpu,
        "peak_mb": peak_rss_mb(), "import_peak_mb": before,
        "status": out["status"].value_counts().to_dict(),
        "errors": ordered.loc[ordered["status"].eq("error"), ["check_id", "detail"]]
        .to_dict("records")[:5],
        "digest": hashlib.sha256(text.encode()).hexdigest()[:16],
        "rows": len(ev.table("k8s_objects")),
        "traced_mb": traced_mb,
        "slowest": sorted(timings.items(), key=lambda kv: -kv[1])[:10],
    }))


def prepare_child(root: Path, objects: int, seed: int) -> None:
    """In a child process: generate the estate, read both forms, write the bundle; print
    the figures and, last, one JSON line with the read times."""
    start = time.perf_counter()
    dump = write_list_dump(root / "estate.json", objects, seed)
    folder = write_manifests(root / "manifests", objects, seed)
    print(f"generated {objects:,} objects (seed {seed}) as a List dump and a folder of "
          f"{len(list(folder.iterdir()))} YAML files in {time.perf_counter() - start:.1f} s")
    print(json.dumps(read_files(dump, folder, root / "bundle")))


def run_child(args: list[str]) -> tuple[list[str], dict]:
    """Run this script as a child (``--child ...`` / ``--prepare ...``): its printed lines
    and its last line, parsed. Every step runs in a child of this small process, so that
    each child's ``ru_maxrss`` is its own (Linux carries the high-water mark of the process
    that forks into the child)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          env=env, check=False)
    if proc.returncode:
        sys.exit(f"benchmark step failed:\n{proc.stderr[-3000:]}")
    lines = proc.stdout.strip().splitlines()
    return lines[:-1], json.loads(lines[-1])


def run_checks_child(bundle: Path, which: str, findings: str | None,
                     traced: bool = False) -> dict:
    cmd = ["--child", which, "--bundle", str(bundle)]
    if findings:
        cmd += ["--findings", findings]
    if traced:
        cmd += ["--traced"]
    return run_child(cmd)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2, help="check runs of each kind")
    parser.add_argument("--keep", type=Path, help="write the estate and bundle here")
    parser.add_argument("--findings", help="write the whole catalogue's findings (JSON)")
    parser.add_argument("--child", choices=("all", "kubernetes"), help=argparse.SUPPRESS)
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the extra run under tracemalloc")
    parser.add_argument("--bundle", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        check_child(args.bundle, args.child, args.findings, args.traced)
        return
    if args.prepare:
        prepare_child(args.prepare, args.objects, args.seed)
        return

    print(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        lines, read_s = run_child(["--prepare", str(root), "--objects", str(args.objects),
                                   "--seed", str(args.seed)])
        print("\n".join(lines))
        bundle = root / "bundle"
        best: dict[str, dict] = {}
        for which in ("all", "kubernetes"):
            for i in range(args.repeat):
                r = run_checks_child(bundle, which,
                                     args.findings if which == "all" and i == 0 else None)
                label = ("all checks" if which == "all" else "Kubernetes checks")
                print(f"{label} ({r['checks']}) on {r['rows']:,} objects, run {i + 1}: "
                      f"{r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, peak RSS "
                      f"{r['peak_mb']:.0f} MB (after imports {r['import_peak_mb']:.0f} MB); "
                      f"bundle load {r['load']:.2f} s; {r['findings']:,} findings "
                      f"{r['status']}, digest {r['digest']}; load average {load_average()}")
                for err in r["errors"]:
                    print(f"  error {err['check_id']}: {err['detail']}")
                if which not in best or r["cpu"] < best[which]["cpu"]:
                    best[which] = r
        if not args.no_tracemalloc:
            r = run_checks_child(bundle, "kubernetes", None, traced=True)
            print(f"Kubernetes checks under tracemalloc: peak of Python allocations "
                  f"{r['traced_mb']:.0f} MB ({r['wall']:.2f} s wall with tracing)")
        r = best["all"]
        print("\nslowest checks (all checks, run with the least CPU; a frame shared by "
              "several checks is paid for by the first that reads it):")
        for check_id, took in r["slowest"]:
            print(f"  {took:6.2f} s  {check_id}")
    print(f"\nSUMMARY  objects {args.objects:,}; read (List dump) {read_s['json']:.2f} s, "
          f"(YAML folder) {read_s['yaml']:.2f} s; all checks {best['all']['wall']:.2f} s wall "
          f"/ {best['all']['cpu']:.2f} s CPU; Kubernetes checks "
          f"{best['kubernetes']['wall']:.2f} s wall / {best['kubernetes']['cpu']:.2f} s CPU; "
          f"peak RSS {max(b['peak_mb'] for b in best.values()):.0f} MB "
          f"(target: checks <= 5 s, <= 1 GB)")


if __name__ == "__main__":
    main()
