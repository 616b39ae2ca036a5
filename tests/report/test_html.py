"""readiness_kit.html: every fragment escapes what it is given and uses the report's classes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from readiness_kit import html as rh
from readiness_kit.report import TEMPLATE_DIR

XSS = "<img src=x onerror=alert(1)>"
XSS_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
SCRIPT = "</script><script>alert(1)</script>"
SUB = "/subscriptions/3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
KV_ID = (f"{SUB}/resourceGroups/rg-retail-prod-ops/providers/"
         "Microsoft.KeyVault/vaults/kv-retail-prod")
PG_ID = (f"{SUB}/resourceGroups/rg-retail-prod-data/providers/"
         "Microsoft.DBforPostgreSQL/flexibleServers/psql-retail-prod")


def finding(**kw) -> dict:
    row = {"check_id": "SEC-KV-001", "domain": "security", "severity": "high", "status": "fail",
           "subject": KV_ID, "title": "Key Vault purge protection",
           "detail": "purge protection is off",
           "risk": "Deleted secrets are gone for good", "rationale": "r",
           "remediation": "Enable purge protection.",
           "references": "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
           "evidence_basis": "observed", "evidence_tables": "azure_resources",
           "waiver_reason": None, "waiver_owner": None, "waiver_expires": None}
    row.update(kw)
    return row


def assert_no_raw_markup(fragment: str, *needles: str) -> None:
    for needle in needles:
        assert needle not in fragment, f"unescaped {needle!r} in fragment"


def test_findings_table_escapes_subject_detail_and_keeps_full_id_in_title():
    df = pd.DataFrame([finding(subject=f"{SUB}/resourceGroups/rg/providers/Microsoft.Cache/"
                                       f"redis/{XSS}", detail=SCRIPT, title=XSS,
                               remediation=XSS, check_id=XSS)])
    out = rh.findings_table(df)
    assert_no_raw_markup(out, XSS, SCRIPT)
    assert f"redis/{XSS_ESCAPED}" in out  # shortened subject shown
    assert f'title="{SUB}/resourceGroups/rg/providers/Microsoft.Cache/redis/{XSS_ESCAPED}"' in out
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_findings_table_sorted_by_status_then_severity_with_badges():
    df = pd.DataFrame([
        finding(check_id="A-PASS-001", status="pass", severity="critical"),
        finding(check_id="A-NA-001", status="not_assessed", severity="high"),
        finding(check_id="A-FAIL-LOW", status="fail", severity="low"),
        finding(check_id="A-FAIL-CRIT", status="fail", severity="critical"),
        finding(check_id="A-ERR-001", status="error", severity="info"),
        finding(check_id="A-WAIVED", status="waived", severity="medium", waiver_owner="CISO",
                waiver_expires="2027-01-31", waiver_reason="Bastion arrives in January"),
    ])
    out = rh.findings_table(df)
    order = re.findall(r'<td class="rk-check">([A-Z-]+[A-Z0-9]+)', out)
    assert order == ["A-FAIL-CRIT", "A-FAIL-LOW", "A-ERR-001", "A-WAIVED", "A-NA-001",
                     "A-PASS-001"]
    assert '<span class="rk-badge rk-sev-critical">critical</span>' in out
    assert '<span class="rk-badge rk-status-fail">Fail</span>' in out
    assert '<span class="rk-badge rk-status-not_assessed">Not assessed</span>' in out
    assert "Waived by CISO until 2027-01-31: Bastion arrives in January" in out
    rows = dict(re.findall(r'<td class="rk-check">([A-Z0-9-]+).*?<td class="rk-fix">(.*?)</td>',
                           out))
    assert rows["A-PASS-001"] == ""  # nothing to do for a pass
    assert rows["A-FAIL-CRIT"].startswith("Enable purge protection.")


def test_findings_table_links_only_http_references():
    df = pd.DataFrame([finding(references="https://learn.microsoft.com/a; javascript:alert(1); "
                                          "https://www.postgresql.org/docs/16/")])
    out = rh.findings_table(df)
    assert 'href="https://learn.microsoft.com/a"' in out
    assert 'href="https://www.postgresql.org/docs/16/"' in out
    assert "javascript:" not in out
    assert 'rel="noopener noreferrer"' in out


def test_findings_table_limits_rows_and_handles_empty():
    df = pd.DataFrame([finding(check_id=f"A-B-{i:03d}") for i in range(5)])
    out = rh.findings_table(df, max_rows=2)
    assert out.count('<tr class="rk-row-fail">') == 2
    assert "Showing 2 of 5 findings." in out
    assert "No findings." in rh.findings_table(df.iloc[0:0])
    assert "No findings." in rh.findings_table(None)


@pytest.mark.parametrize(("subject", "short"), [
    (PG_ID, "flexibleServers/psql-retail-prod"),
    (f"{KV_ID}/", "vaults/kv-retail-prod"),
    (f"{SUB}/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/st/blobServices/"
     "default", "storageAccounts/st/blobServices/default"),
    (f"{SUB}/resourceGroups/rg-a", "resourceGroups/rg-a"),
    (SUB, "subscription 3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"),
    ("Deployment/odoo-prod/odoo-web", "Deployment/odoo-prod/odoo-web"),
    ("postgres:psql-retail-prod/max_connections", "postgres:psql-retail-prod/max_connections"),
])
def test_short_subject(subject, short):
    assert rh.short_subject(subject) == short


def test_table_escapes_every_cell_and_header():
    df = pd.DataFrame({XSS: [SCRIPT, 1.5], "n": [3, 4000]})
    out = rh.table(df, caption=XSS)
    assert_no_raw_markup(out, XSS, SCRIPT)
    assert out.count(XSS_ESCAPED) == 2  # header + caption
    assert '<td class="rk-num">4000</td>' in out
    assert '<th scope="col" class="rk-num">n</th>' in out
    assert "<th scope=\"row\">" not in out  # a RangeIndex is not shown


def test_table_from_mapping_records_and_index():
    kv = rh.table({"Tenant": "demo-retail", XSS: SCRIPT, "Zones": [1, 2]})
    assert 'class="rk-table rk-kv"' in kv
    assert '<th scope="row">Tenant</th><td>demo-retail</td>' in kv
    assert "[1, 2]" in kv
    assert_no_raw_markup(kv, XSS, SCRIPT)
    recs = rh.table([{"a": 1, "b": None}, {"a": 2, "b": True}], columns={"a": "Alpha", "b": "Beta"})
    assert "<th scope=\"col\" class=\"rk-num\">Alpha</th>" in recs and "Beta" in recs
    assert "<td>yes</td>" in recs and "<td></td>" in recs
    indexed = rh.table(pd.DataFrame({"score": [72]}, index=pd.Index(["architecture"])))
    assert '<th scope="row">architecture</th>' in indexed
    assert "Nothing to show." in rh.table(pd.DataFrame())


def test_verdict_callout_tones_and_escaping():
    bad = rh.verdict_callout("not_ready", XSS, [SCRIPT, "Second paragraph."], title="Gate")
    assert 'class="rk-callout rk-tone-bad"' in bad
    assert '<span class="rk-badge rk-gate-not_ready">Not ready</span>' in bad
    assert bad.count("<p>") == 2
    assert_no_raw_markup(bad, XSS, SCRIPT)
    assert 'rk-tone-good' in rh.verdict_callout("ready", "Go")
    assert 'rk-tone-warn' in rh.verdict_callout("conditional", "Go, with conditions")
    demonstrated = rh.verdict_callout("demonstrated", "Recovery is tested")
    assert 'rk-tone-good' in demonstrated and "Demonstrated" in demonstrated
    assert 'rk-tone-neutral' in rh.verdict_callout("something else", "?")
    two = rh.verdict_callout("fail", "Headline", "First.\n\nSecond.")
    assert two.count("<p>") == 2


def test_risk_list_badges_subjects_and_remediation():
    risks = pd.DataFrame([{
        "severity": "critical", "check_id": "SCL-ODOO-001", "title": "Connections fit",
        "risk": "At peak Odoo opens more connections than PostgreSQL accepts: checkout fails",
        "subjects": [PG_ID, XSS, "odoo:db_maxconn", "a", "b", "c", "d"],
        "remediation": "Put PgBouncer in front of PostgreSQL.",
        "references": "https://learn.microsoft.com/azure/postgresql/",
    }])
    out = rh.risk_list(risks, max_subjects=3)
    assert '<span class="rk-badge rk-sev-critical">critical</span>' in out
    assert "checkout fails" in out and "Put PgBouncer" in out
    assert f'title="{PG_ID}">flexibleServers/psql-retail-prod</span>' in out
    assert "and 4 more" in out
    assert_no_raw_markup(out, XSS)
    assert "No open risks." in rh.risk_list([])


def test_gaps_and_waivers_tables():
    gaps = pd.DataFrame([{"source": "postgres", "scope": "psql-retail-prod",
                          "table": "pg_settings", "what": XSS, "reason": "permission denied"}])
    out = rh.gaps_table(gaps)
    assert "Collection gaps" in out and "permission denied" in out
    assert_no_raw_markup(out, XSS)
    assert "No collection gaps" in rh.gaps_table(gaps.iloc[0:0])

    waivers = pd.DataFrame([
        {"check_id": "SEC-NSG-001", "subject": "*nsg-aks", "reason": "Bastion in January",
         "owner": "CISO", "expires": "2027-01-31", "state": "active", "matched": 1},
        {"check_id": "RES-ST-002", "subject": XSS, "reason": "Old decision", "owner": "CTO",
         "expires": "2026-06-30", "state": "expired", "matched": 0},
        {"check_id": "OPS-MON-001", "subject": "*", "reason": "Never matched", "owner": "CTO",
         "expires": "2027-06-30", "state": "unused", "matched": 0},
    ])
    out = rh.waivers_table(waivers)
    assert re.findall(r'<tr class="rk-row-(\w+)">', out) == ["expired", "active", "unused"]
    assert "Expired on 2026-06-30: no longer applied" in out
    assert '<span class="rk-badge rk-waiver-expired">expired</span>' in out
    assert '<span class="rk-badge rk-waiver-active">active</span>' in out
    assert "Matches no failing finding" in out
    assert_no_raw_markup(out, XSS)
    assert "No waivers declared." in rh.waivers_table(None)


def test_fragment_is_html_for_jupyter_and_show_displays_text_html(monkeypatch):
    frag = rh.verdict_callout("ready", "Go")
    assert isinstance(frag, str)
    assert frag._repr_mimebundle_() == {"text/html": str(frag)}
    assert frag.__html__() == str(frag)
    assert frag.startswith('<style data-rk-fragment="base">')
    assert not rh.verdict_callout("ready", "Go", style=False).startswith("<style")
    shown = []
    monkeypatch.setattr("IPython.display.display",
                        lambda obj, raw=False: shown.append((obj, raw)))
    rh.show(frag, rh.table({"a": 1}))
    assert len(shown) == 1
    (bundle, raw), = shown
    assert raw is True and list(bundle) == ["text/html"]
    assert "rk-callout" in bundle["text/html"] and "rk-kv" in bundle["text/html"]


def test_every_styled_class_is_defined_in_the_css():
    """The classes the fragments use for looks are all styled (fragment CSS or report.css)."""
    css = rh.FRAGMENT_CSS + (TEMPLATE_DIR / "readiness" / "report.css").read_text()
    df = pd.DataFrame([finding(), finding(status="waived", severity="low"),
                       finding(status="error", severity="critical")])
    out = "".join([
        rh.findings_table(df), rh.verdict_callout("not_ready", "x", "y", title="t"),
        rh.risk_list(df.assign(subjects=[[KV_ID]] * 3)), rh.table({"a": 1}),
        rh.waivers_table(pd.DataFrame([{"check_id": "A-1", "subject": "*", "reason": "r",
                                        "owner": "o", "expires": "2026-01-01",
                                        "state": "expired", "matched": 0}])),
    ])
    used = {c for attr in re.findall(r'class="([^"]+)"', out) for c in attr.split()}
    hooks = {c for c in used if c.startswith("rk-row-") or c.endswith("-fragment")}
    missing = sorted(c for c in used - hooks if f".{c}" not in css)
    assert missing == []
