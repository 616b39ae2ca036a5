"""Per-object waivers written as ``readiness.kit/waive`` annotations."""

import datetime as dt

from factories import AS_OF, ctx_for, deployment, k8s_doc, k8s_docs, k8s_records

from readiness_kit.checks import run_checks
from readiness_kit.checks.registry import REGISTRY
from readiness_kit.html import waivers_table
from readiness_kit.params import Waiver
from readiness_kit.review import build_review
from readiness_kit.waivers import annotation_waivers, apply_waivers, parse_waiver_entry

KNOWN = set(REGISTRY)


def annotated(value: dict) -> dict:
    debug = deployment("odoo-prod", "debug-shell", "docker.io/library/busybox:1.36",
                       containers=[{"name": "shell", "image": "docker.io/library/busybox:1.36",
                                    "securityContext": {"privileged": True}}])
    debug["annotations"] = value
    return debug


def test_entry_grammar_quoted_and_unquoted_values_in_any_order():
    e = parse_waiver_entry('SEC-K8S-001 owner=jon.okafor expires=2026-12-31 '
                           'reason="debug; needed for INC-20931"', KNOWN)
    assert (e["check_id"], e["reason"], e["owner"], e["expires"], e["problem"]) == (
        "SEC-K8S-001", "debug; needed for INC-20931", "jon.okafor", dt.date(2026, 12, 31),
        None)
    e = parse_waiver_entry("SEC-K8S-001 reason=debug shell for INC-1 owner=Jon Okafor "
                           "expires=2026-12-31", KNOWN)
    assert (e["reason"], e["owner"]) == ("debug shell for INC-1", "Jon Okafor")


def test_malformed_entries_say_what_is_wrong():
    assert "not a check id" in parse_waiver_entry("waive it please", KNOWN)["problem"]
    assert "not a check in this catalogue" in parse_waiver_entry(
        "SEC-XYZ-999 reason=x owner=y expires=2027-01-01", KNOWN)["problem"]
    assert "missing owner, expires" in parse_waiver_entry("SEC-K8S-001 reason=later",
                                                          KNOWN)["problem"]
    assert "not a YYYY-MM-DD date" in parse_waiver_entry(
        "SEC-K8S-001 reason=later owner=ops expires=31/12/2026", KNOWN)["problem"]


def test_annotation_waives_only_its_own_object_and_expires_like_parameter_waivers():
    other = deployment("odoo-prod", "other-shell", containers=[
        {"name": "s", "image": "acr.azurecr.io/s:1", "securityContext": {"privileged": True}}])
    tables = {"k8s_objects": [annotated({
        "readiness.kit/waive": "SEC-K8S-001 reason=debug for INC-20931 owner=jon.okafor "
                               "expires=2026-12-31; DEV-IMG-002 reason=old owner=ops "
                               "expires=2026-11-01",
        "readiness.kit/waive.2": "SCL-K8S-001 reason=short-lived owner=ops expires=2027-01-31",
    }), other]}
    ctx = ctx_for(tables)
    raw = run_checks(ctx, [REGISTRY["SEC-K8S-001"], REGISTRY["SCL-K8S-001"]])
    out, table = apply_waivers(raw, [], AS_OF, annotation_waivers(ctx.ev))
    sec = out[out["check_id"].eq("SEC-K8S-001")].set_index("subject")["status"].to_dict()
    assert sec == {"Deployment/odoo-prod/debug-shell": "waived",
                   "Deployment/odoo-prod/other-shell": "fail"}
    states = dict(zip(table["check_id"], table["state"], strict=True))
    assert states == {"SEC-K8S-001": "active", "DEV-IMG-002": "expired",
                      "SCL-K8S-001": "active"}
    assert set(table["source"]) == {"annotation readiness.kit/waive",
                                    "annotation readiness.kit/waive.2"}
    row = out[out["subject"].eq("Deployment/odoo-prod/debug-shell")
              & out["check_id"].eq("SEC-K8S-001")].iloc[0]
    assert (row["waiver_owner"], row["waiver_expires"]) == ("jon.okafor", "2026-12-31")


def test_parameter_and_annotation_waivers_share_one_table_and_malformed_is_shown():
    tables = {"k8s_objects": [annotated({"readiness.kit/waive": "SEC-K8S-001 reason=<b>x</b>"})]}
    ctx = ctx_for(tables, waivers=[Waiver(check_id="SEC-K8S-002", subject="*", reason="acr",
                                          owner="CISO", expires=dt.date(2027, 1, 1))])
    rv = build_review(ctx.params, ctx.ev, AS_OF)
    assert rv.waivers[["source", "state"]].values.tolist() == [
        ["parameters", "active"], ["annotation readiness.kit/waive", "malformed"]]
    html = str(waivers_table(rv.waivers))
    assert "missing owner, expires" in html and "<b>x</b>" not in html
    assert "annotation readiness.kit/waive" in html
    # the object's finding is not waived by a malformed annotation
    sec = rv.findings[rv.findings["check_id"].eq("SEC-K8S-001")]
    assert sec["status"].tolist() == ["fail"]


def test_fixture_objects_without_annotations_give_no_waivers():
    docs = k8s_docs("odoo-helm-release.yaml")
    k8s_doc(docs, "Deployment", "shop-odoo")["metadata"]["annotations"][
        "readiness.kit/waive-1"] = "RES-K8S-002 reason=one zone owner=ops expires=2027-01-01"
    ev = ctx_for({"k8s_objects": k8s_records(docs)}).ev
    w = annotation_waivers(ev)
    assert w[["subject", "check_id", "problem"]].values.tolist() == [
        ["Deployment/shop-prod/shop-odoo", "RES-K8S-002", None]]
