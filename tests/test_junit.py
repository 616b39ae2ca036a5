"""junit.xml: the review as JUnit XML for CI publishers, and the gate as a CI decision."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from readiness_kit import DOMAINS, GATES
from readiness_kit.junit import GATE_FAILED_EXIT, MAX_SUBJECTS, gate_fails, write_junit
from readiness_kit.outputs import write_outputs
from readiness_kit.review import Review, load_review

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> Review:
    return load_review(str(REPO / "parameters/demo-retail.yaml"), as_of="2026-11-27")


@pytest.fixture(scope="module")
def run_dir(demo: Review, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    write_outputs(demo, out, run_id="20261127T000000Z", generated_at="2026-11-27T00:00:00Z")
    return out


@pytest.fixture(scope="module")
def root(run_dir: Path) -> ET.Element:
    return ET.parse(run_dir / "junit.xml").getroot()


def cases(root: ET.Element) -> dict[str, ET.Element]:
    return {c.get("name").split(" ", 1)[0]: c for c in root.iter("testcase")}


def frame_junit(findings: pd.DataFrame, tmp_path: Path) -> ET.Element:
    path = write_junit(findings, tmp_path / "junit.xml", tenant="t", gate="ready", run_id="r")
    return ET.parse(path).getroot()


def test_every_run_writes_junit_beside_findings(run_dir: Path, root: ET.Element):
    assert (run_dir / "findings.json").is_file() and (run_dir / "junit.xml").is_file()
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.findall("testsuite")] == list(DOMAINS)
    props = {p.get("name"): p.get("value") for p in root.find("testsuite/properties")}
    assert props == {"tenant": "demo-retail", "gate": "not_ready", "run_id": "20261127T000000Z"}


@pytest.mark.parametrize("domain", DOMAINS)
def test_suite_counts_match_findings(demo: Review, root: ET.Element, domain: str):
    f = demo.domain(domain)
    by_check = f.groupby("check_id")["status"].agg(set)
    failing = sum("fail" in s for s in by_check)
    skipped = sum(s == {"not_assessed"} for s in by_check)
    suite = root.find(f"testsuite[@name='{domain}']")
    assert suite.get("tests") == str(len(by_check))
    assert suite.get("failures") == str(failing) == str(len(suite.findall("testcase/failure")))
    assert suite.get("skipped") == str(skipped) == str(len(suite.findall("testcase/skipped")))
    assert suite.get("errors") == "0"
    assert {c.get("classname") for c in suite.iter("testcase")} == {f"readiness.{domain}"}
    names = [c.get("name").split(" ", 1)[0] for c in suite.iter("testcase")]
    assert names == sorted(names)  # by check id


def test_totals_add_up(demo: Review, root: ET.Element):
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in root.findall("testsuite"))
    assert int(root.get("tests")) == demo.findings["check_id"].nunique()


def test_failing_check_names_its_failing_subjects(demo: Review, root: ET.Element):
    case = cases(root)["SEC-K8S-012"]
    assert case.get("name").startswith("SEC-K8S-012 Pods do not mount a Kubernetes API token")
    failure = case.find("failure")
    f = demo.findings[demo.findings["check_id"] == "SEC-K8S-012"]
    failing = f[f["status"] == "fail"]
    assert failure.get("message") == f"{len(failing)} of {len(f)} subjects fail"
    assert failure.get("type") == "medium"
    lines = failure.text.splitlines()
    assert lines == sorted(f"{s}: {d}" for s, d in zip(failing.subject, failing.detail,
                                                       strict=True))
    assert "Deployment/odoo-prod/debug-shell: the API token is mounted" in failure.text
    passing = f.loc[f["status"] == "pass", "subject"]
    assert not any(s in failure.text for s in passing)


def test_waived_subjects_are_not_failures(demo: Review, root: ET.Element, tmp_path: Path):
    f = demo.findings[demo.findings["check_id"] == "SEC-EXP-001"]
    waived = f.loc[f["status"] == "waived", "subject"].iloc[0]
    case = cases(root)["SEC-EXP-001"]
    assert case.find("failure").get("message") == f"1 of {len(f)} subjects fail"
    assert waived not in case.find("failure").text
    assert "1 waived" in case.find("system-out").text
    # the same check with its failing subject fixed: only waived and passing subjects
    only = frame_junit(f[f["status"] != "fail"], tmp_path)
    case = cases(only)["SEC-EXP-001"]
    assert case.find("failure") is None and case.find("skipped") is None
    assert only.get("failures") == "0" and only.get("tests") == "1"


def test_not_assessed_checks_are_skipped(demo: Review, root: ET.Element):
    statuses = demo.findings.groupby("check_id")["status"].agg(set)
    unassessed = sorted(statuses[statuses.map(lambda s: s == {"not_assessed"})].index)
    assert "SEC-ODOO-003" in unassessed
    by_id = cases(root)
    for cid in unassessed:
        assert by_id[cid].find("skipped") is not None and by_id[cid].find("failure") is None
    assert by_id["SEC-ODOO-003"].find("skipped").get("message") == (
        "not assessed: admin_passwd present; this evidence does not say whether it is a hash")
    # partly assessed and failing: a failure, the unassessed subjects counted
    assert by_id["OPS-MON-002"].find("failure") is not None
    assert "1 not assessed" in by_id["OPS-MON-002"].find("system-out").text


def test_passing_checks_are_plain(demo: Review, root: ET.Element):
    case = cases(root)["ARC-AKS-001"]
    assert set(demo.findings.loc[demo.findings.check_id == "ARC-AKS-001", "status"]) == {"pass"}
    assert list(case) == []


def test_failure_text_is_bounded(demo: Review, tmp_path: Path):
    template = demo.findings[demo.findings["check_id"] == "RES-PG-001"].iloc[[0]]
    rows = pd.concat([template] * 50, ignore_index=True)
    rows["subject"] = [f"flexibleServers/psql-{i:02d}" for i in range(50)]
    rows["detail"] = "zone-redundant HA off"
    root = frame_junit(rows, tmp_path)
    failure = cases(root)["RES-PG-001"].find("failure")
    assert failure.get("message") == "50 of 50 subjects fail"
    lines = failure.text.splitlines()
    assert len(lines) == MAX_SUBJECTS + 1
    assert lines[0] == "flexibleServers/psql-00: zone-redundant HA off"
    assert lines[MAX_SUBJECTS - 1].startswith("flexibleServers/psql-19:")
    assert lines[-1] == f"... and {50 - MAX_SUBJECTS} more (findings.csv)"
    assert "psql-20" not in failure.text


def test_special_characters_round_trip(demo: Review, tmp_path: Path):
    rows = demo.findings[demo.findings["check_id"] == "RES-PG-001"].copy()
    subject = 'Deployment/<img src=x onerror="alert(1)">/a&b\'c'
    detail = "limit < request & \"quoted\" ]]> done\x00\x1b"
    rows["subject"], rows["detail"], rows["title"] = subject, detail, "HA <on> & \"ready\""
    path = write_junit(rows, tmp_path / "junit.xml", tenant="t&<>", gate="ready")
    raw = path.read_text(encoding="utf-8")
    assert "<img" not in raw and "\x00" not in raw
    root = ET.parse(path).getroot()
    case = cases(root)["RES-PG-001"]
    assert case.get("name") == 'RES-PG-001 HA <on> & "ready"'
    assert case.find("failure").text == f"{subject}: {detail[:-2]}\ufffd\ufffd"
    assert root.find(".//property[@name='tenant']").get("value") == "t&<>"


def test_same_findings_same_bytes(demo: Review, tmp_path: Path):
    shuffled = demo.findings.sample(frac=1, random_state=7)
    a = write_junit(demo, tmp_path / "a.xml", run_id="r").read_bytes()
    b = write_junit(shuffled, tmp_path / "b.xml", tenant="demo-retail", gate="not_ready",
                    run_id="r").read_bytes()
    assert a == b


def test_findings_frame_needs_tenant_and_gate(demo: Review, tmp_path: Path):
    with pytest.raises(ValueError, match="tenant= and gate="):
        write_junit(demo.findings, tmp_path / "junit.xml")


@pytest.mark.parametrize(("gate", "fail_on", "fails"), [
    ("ready", "not_ready", False),
    ("conditional", "not_ready", False),
    ("not_ready", "not_ready", True),
    ("ready", "conditional", False),
    ("conditional", "conditional", True),
    ("not_ready", "conditional", True),
])
def test_gate_fails_truth_table(gate: str, fail_on: str, fails: bool):
    assert gate_fails(gate, fail_on) is fails


@pytest.mark.parametrize("fail_on", ["ready", "never", "NOT_READY", ""])
def test_gate_fails_refuses_unknown_threshold(fail_on: str):
    with pytest.raises(ValueError, match=r"--fail-on: expected one of conditional, not_ready"):
        gate_fails("ready", fail_on)


def test_gate_fails_refuses_unknown_gate():
    with pytest.raises(ValueError, match="gate: expected one of ready, conditional, not_ready"):
        gate_fails("green", "not_ready")


def test_gate_failed_exit_is_its_own_code():
    assert GATE_FAILED_EXIT == 3 and GATE_FAILED_EXIT not in (0, 1, 2)
    assert tuple(GATES) == ("ready", "conditional", "not_ready")
