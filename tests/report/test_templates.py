"""The fragment templates: shipped with the package, autoescape on, compact output."""

from __future__ import annotations

import pandas as pd

from readiness_kit import html as rh

XSS = "<script>alert('x')</script>"


def test_every_fragment_template_is_package_data_and_autoescaped():
    names = sorted(p.name for p in rh.FRAGMENT_TEMPLATES.glob("*.html.j2"))
    assert {"callout.html.j2", "findings.html.j2", "risks.html.j2", "table.html.j2",
            "waivers.html.j2", "macros.html.j2", "fragment.html.j2"} <= set(names)
    env = rh.environment()
    assert env.autoescape is True
    for name in names:
        if name not in ("macros.html.j2", "fragment.html.j2"):
            env.get_template(name)  # every template compiles


def test_a_value_reaching_a_template_is_escaped_without_the_caller_escaping_it():
    out = rh.render("note", kind="x", text=XSS)
    assert XSS not in out
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in out
    assert out.startswith('<style data-rk-fragment="base">')
    assert '<div class="rk-fragment rk-x-fragment"><p class="rk-note">' in out


def test_template_layout_adds_no_whitespace_between_tags_but_keeps_it_inside_lines():
    out = rh.risk_list([{"severity": "high", "risk": "r", "check_id": "A-B-001", "title": "T",
                         "subjects": ["s1", "s2"], "remediation": "fix"}], style=False)
    assert "\n" not in out and "> <" not in out.replace("</strong> <span", "")
    assert ('<strong>A-B-001</strong> T &middot; <strong>Affects:</strong> '
            '<span class="rk-subject">s1</span>, <span class="rk-subject">s2</span>') in out
    table = rh.table(pd.DataFrame({"a": [1]}), style=False)
    assert '<tr><td class="rk-num">1</td></tr>' in table
