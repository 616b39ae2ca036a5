"""One self-contained HTML report from the executed notebooks of a review.

The notebooks are joined into one notebook (a section per notebook, in order) and
exported once with nbconvert's :class:`~nbconvert.exporters.HTMLExporter` and the project's
own template (``templates/readiness``, registered through ``extra_template_basedirs``):

* no code, prompts, execution counts or stderr; cells tagged ``parameters``,
  ``injected-parameters``, ``remove`` (``remove-cell``) are dropped, ``remove-output`` drops
  outputs (nbconvert's ``TagRemovePreprocessor``);
* ``application/vnd.plotly.v1+json`` outputs (which the stock exporter silently drops) become
  a ``div`` plus the figure JSON in a ``<script type="application/json">`` block, drawn by
  ONE inline copy of plotly.js and a small script;
* nothing is loaded from the network (no CDN, no web fonts); a Content-Security-Policy meta
  tag enforces it in the browser.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters import strip_ansi
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Any as AnyTrait
from traitlets import default
from traitlets.config import Config

from readiness_kit import DOMAIN_TITLES, DOMAINS, GATES, STATUSES, __version__
from readiness_kit.charts import style as house
from readiness_kit.html import FRAGMENT_CSS, GATE_LABELS, STATUS_LABELS

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "readiness"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
REMOVE_CELL_TAGS = frozenset(
    {"remove", "remove-cell", "remove_cell", "parameters", "injected-parameters"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})
REMOVE_INPUT_TAGS = frozenset({"remove-input", "remove_input"})
# What the report shows, best first. No javascript, no widgets: the report runs no
# notebook-provided code; plotly figures are drawn by the report's own script.
DISPLAY_PRIORITY = [
    PLOTLY_MIMETYPE,
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/plain",
]
DEFAULT_TITLE = "Deployment readiness review"

_FRAGMENT_STYLE = re.compile(r'<style data-rk-fragment="[a-z0-9_-]+">.*?</style>', re.DOTALL)
_HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_ID_ATTR = re.compile(r"""\s+id\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_SETEXT = re.compile(r"^ {0,3}(\S.*?)[ \t]*\n {0,3}(=+|-+)[ \t]*$", re.MULTILINE)


# --------------------------------------------------------------------------- helpers
def slug(text: str, fallback: str = "section") -> str:
    """Lower-case ``a-z0-9`` words joined by ``-`` (stable HTML ids)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or fallback


def _plain_markdown(text: str) -> str:
    """Heading markdown as plain text: links, emphasis and code marks removed."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`~]+", "", text)
    return html.unescape(_TAG.sub("", text)).strip()


def _tags(cell: Mapping) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def first_heading(nb: NotebookNode) -> str | None:
    """The text of the notebook's first markdown heading (ATX ``#`` or setext)."""
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown" or _tags(cell) & (REMOVE_CELL_TAGS
                                                                 | REMOVE_INPUT_TAGS):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        hits = [m for m in (_ATX.search(source), _SETEXT.search(source)) if m]
        if hits:
            best = min(hits, key=lambda m: m.start())
            text = _plain_markdown(best.group(2) if best.re is _ATX else best.group(1))
            if text:
                return text
    return None


def _section_key(nb: NotebookNode, path: Path | None, title: str | None, index: int) -> str:
    meta = nb.metadata.get("readiness", {}) or {}
    if meta.get("section"):
        return slug(str(meta["section"]))
    papermill = nb.metadata.get("papermill", {}) or {}
    for candidate in (path, papermill.get("input_path"), papermill.get("output_path")):
        if candidate:
            stem = Path(str(candidate)).name.split(".", 1)[0]
            stem = re.sub(r"^[0-9]+[_\-. ]*", "", stem)
            if stem:
                return slug(stem)
    return slug(title) if title else f"section-{index + 1}"


def _load(item: str | os.PathLike | NotebookNode) -> tuple[NotebookNode, Path | None]:
    if isinstance(item, NotebookNode):
        return item, None
    if isinstance(item, Mapping):  # a plain dict in notebook shape
        return nbformat.from_dict(item), None
    path = Path(item)
    return nbformat.read(path, as_version=4), path


def combine_notebooks(
    notebooks: Iterable[str | os.PathLike | NotebookNode],
) -> NotebookNode:
    """Join executed notebooks into one notebook with a marker cell opening each section.

    Each section's ``title`` is the notebook's first markdown heading and its stable
    ``anchor`` is ``sec-<key>``, the key coming from ``metadata.readiness.section``, else
    the file name without its numeric prefix (``10_architecture.ipynb`` -> ``architecture``),
    else the title. The input notebooks are not modified.
    """
    combined = nbformat.v4.new_notebook()
    combined.nbformat_minor = max(combined.nbformat_minor, 5)
    sections: list[dict] = []
    used: set[str] = set()
    n = 0
    for index, item in enumerate(notebooks):
        nb, path = _load(item)
        if index == 0 and "language_info" in nb.metadata:
            combined.metadata["language_info"] = nb.metadata["language_info"]
        title = first_heading(nb)
        key = _section_key(nb, path, title, index)
        anchor, k = f"sec-{key}", 2
        while anchor in used:
            anchor, k = f"sec-{key}-{k}", k + 1
        used.add(anchor)
        section = {"index": index, "key": key, "anchor": anchor,
                   "title": title or key.replace("-", " ").capitalize(),
                   "source": str(path) if path else None}
        sections.append(section)
        marker = nbformat.v4.new_raw_cell(source="", metadata={"readiness": {"section": section}})
        marker["id"] = f"rk-s{index}"
        combined.cells.append(marker)
        for cell in nb.cells:
            copy = NotebookNode(dict(cell))  # shallow: the exporter deep-copies before changes
            copy["id"] = f"rk-c{n}"
            n += 1
            combined.cells.append(copy)
    combined.metadata["readiness"] = {"sections": sections}
    return combined


def _is_combined(nb: NotebookNode) -> bool:
    return bool(nb.metadata.get("readiness", {}).get("sections"))


#: The formatting tags plotly.js draws in labels and that the charts use on purpose.
_PLOTLY_TAG = re.compile(r"</?(?:br|b|i|em|sup|sub|extra)\s*/?>", re.IGNORECASE)


def plain_text(value: Any) -> Any:
    """Every string of a figure shown as text: plotly.js draws a subset of HTML in labels
    (links, spans), so anything that looks like markup, other than the formatting tags the
    charts use, is entity-escaped (plotly shows ``&lt;`` as ``<``)."""
    if isinstance(value, str):
        if "<" not in value and "&" not in value and ">" not in value:
            return value
        out, last = [], 0
        for tag in _PLOTLY_TAG.finditer(value):
            out.append(html.escape(value[last:tag.start()], quote=False))
            out.append(tag.group(0))
            last = tag.end()
        out.append(html.escape(value[last:], quote=False))
        return "".join(out)
    if isinstance(value, dict):
        return {k: plain_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_text(v) for v in value]
    return value


def figure_json(data: Any) -> str:
    """Figure JSON safe inside ``<script type="application/json">``: strings are made plain
    text for plotly.js (``plain_text``), and ``<``, ``>`` and ``&`` are written as
    ``\\u003c``... so no string in the figure can end the script (``</``) or open a comment
    (``<!--``)."""
    from plotly.utils import PlotlyJSONEncoder

    if isinstance(data, str):
        data = json.loads(data)
    data = plain_text(json.loads(json.dumps(data, cls=PlotlyJSONEncoder)))
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.min.js from the installed plotly package (read once per process)."""
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    # Defensive: the bundle must not be able to close its own script element.
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def _format_generated(value: Any) -> tuple[str, str, str]:
    """(date text, time text, ISO text) for the header."""
    if value is None or value == "":
        return "", "", ""
    when = value
    if isinstance(value, str):
        try:
            when = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value, "", value
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
            clock = when.strftime("%H:%M UTC")
        else:
            clock = when.strftime("%H:%M")
        return f"{when.day} {when:%B %Y}", clock, when.isoformat()
    if isinstance(when, dt.date):
        return f"{when.day} {when:%B %Y}", "", when.isoformat()
    return str(value), "", str(value)


def _score(value: Any) -> tuple[str, float | None]:
    if isinstance(value, Mapping):
        value = value.get("score")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ("n/a" if value in (None, "") else str(value)), None
    if number != number:  # NaN
        return "n/a", None
    return f"{number:.0f}", max(0.0, min(100.0, number))


def header_context(header: Mapping[str, Any] | None) -> dict[str, Any]:
    """Normalise the header mapping for the template (values stay raw text: the template
    escapes every one of them)."""
    header = dict(header or {})
    gate = header.get("gate")
    if gate in ("", None):
        gate = None
    elif gate not in GATES:
        raise ValueError(f"header gate {gate!r} is not one of {GATES}")
    reasons = header.get("gate_reasons") or []
    if isinstance(reasons, str):
        reasons = [reasons]
    scores_in = next((header[k] for k in ("scores", "domains", "domain_scores")
                      if header.get(k) is not None), {})
    if isinstance(scores_in, pd.DataFrame):  # e.g. review.scores
        scores_in = (dict(zip(scores_in["domain"], scores_in["score"], strict=True))
                     if "domain" in scores_in.columns else scores_in["score"].to_dict())
    elif isinstance(scores_in, pd.Series):
        scores_in = scores_in.to_dict()
    ordered = [d for d in DOMAINS if d in scores_in] + [d for d in scores_in if d not in DOMAINS]
    scores = []
    for domain in ordered:
        text, pct = _score(scores_in[domain])
        label = DOMAIN_TITLES.get(str(domain), str(domain).replace("_", " ").title())
        scores.append({"domain": str(domain), "label": label,
                       "text": text, "pct": pct})
    counts_in = header.get("counts") or {}
    counts = [{"status": _css_token(k), "label": STATUS_LABELS.get(k, str(k)).lower(),
               "n": _count(counts_in[k])}
              for k in [*[s for s in STATUSES if s in counts_in],
                        *[s for s in counts_in if s not in STATUSES]]
              if _count(counts_in[k]) is not None]
    date_text, clock, iso = _format_generated(header.get("generated_at"))
    tenant = str(header.get("tenant") or "")
    return {
        "title": str(header.get("title") or DEFAULT_TITLE),
        "tenant": tenant,
        "display_name": str(header.get("display_name") or tenant or "Readiness review"),
        "run_id": str(header.get("run_id") or ""),
        "generated_date": date_text,
        "generated_time": clock,
        "generated_iso": iso,
        "as_of": str(header.get("as_of") or ""),
        "gate": gate,
        "gate_label": GATE_LABELS.get(gate, "") if gate else "",
        "gate_reasons": [str(r) for r in reasons],
        "evidence_sha256": str(header.get("evidence_sha256") or ""),
        "toolkit_version": str(header.get("toolkit_version") or __version__),
        "scores": scores,
        "counts": counts,
    }


def _count(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _css_token(value: Any) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", str(value).lower()) or "unknown"


def _colours() -> dict[str, str]:
    colours = {"accent": house.ACCENT, "neutral": house.NEUTRAL}
    colours.update({f"gate-{k}": v for k, v in house.GATE_COLOURS.items()})
    colours.update({f"sev-{k}": v for k, v in house.SEVERITY_COLOURS.items()})
    colours.update({f"status-{k}": v for k, v in house.STATUS_COLOURS.items()})
    return colours


# --------------------------------------------------------------------------- preprocessor
class ReadinessPreprocessor(Preprocessor):
    """Runs after nbconvert's tag removal: renders markdown cells with the exporter's
    markdown filter and gives their headings stable, section-scoped ids (collected for the
    table of contents), numbers the plotly figures, and drops the per-fragment ``<style>``
    blocks of ``readiness_kit.html`` (the template carries that CSS once)."""

    render_markdown = AnyTrait(None, allow_none=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        rk = resources.setdefault("readiness", {})
        sections: list[dict] = []
        used: set[str] = {s["anchor"] for s in nb.metadata.get("readiness", {}).get(
            "sections", [])}
        current: dict | None = None
        figures = 0
        for cell in nb.cells:
            marker = cell.get("metadata", {}).get("readiness", {}).get("section")
            if cell.cell_type == "raw" and marker:
                current = {**marker, "headings": [], "title_seen": False}
                sections.append(current)
                continue
            if current is None:  # only combined notebooks get here; be safe anyway
                current = {"index": 0, "key": "report", "anchor": "sec-report",
                           "title": "Report", "headings": [], "title_seen": True}
            if cell.cell_type == "markdown":
                if cell.get("metadata", {}).get("transient", {}).get("remove_source"):
                    continue
                cell.metadata.setdefault("readiness", {})["html"] = self._markdown(
                    cell, resources, current, used)
            elif cell.cell_type == "code":
                for output in cell.get("outputs", []):
                    data = output.get("data")
                    if not data:
                        continue
                    if PLOTLY_MIMETYPE in data:
                        figures += 1
                        output.setdefault("metadata", {})["readiness"] = {
                            "figure": f"rk-fig-{figures}"}
                    if "text/html" in data:
                        text = data["text/html"]
                        text = "".join(text) if isinstance(text, list) else text
                        data["text/html"] = _FRAGMENT_STYLE.sub("", text)
                    elif "text/markdown" in data and PLOTLY_MIMETYPE not in data:
                        # e.g. display(Markdown(narrative)): its headings join the contents
                        output.setdefault("metadata", {})["readiness"] = {
                            "html": self._markdown(cell, resources, current, used,
                                                   source=data["text/markdown"])}
        for section in sections:
            section.pop("title_seen", None)
        rk["sections"] = sections
        rk["figures"] = figures
        return nb, resources

    def _markdown(self, cell: NotebookNode, resources: dict, section: dict,
                  used: set[str], source: str | None = None) -> str:
        source = cell.source if source is None else source
        source = "".join(source) if isinstance(source, list) else source
        rendered = self.render_markdown({"cell": cell, "resources": resources}, source)

        def heading(match: re.Match) -> str:
            level, attrs, inner = match.group(1), match.group(2) or "", match.group(3)
            text = html.unescape(_TAG.sub("", inner)).strip()
            base = f"{section['key']}-{slug(text, 'heading')}"
            hid, k = base, 2
            while hid in used:
                hid, k = f"{base}-{k}", k + 1
            used.add(hid)
            if not section["title_seen"]:
                section["title_seen"] = True  # the section title: already the section entry
            elif level == "2":
                section["headings"].append({"id": hid, "text": text})
            attrs = _ID_ATTR.sub("", attrs)
            return (f'<h{level} id="{hid}"{attrs}>{inner}<a class="rk-anchor" href="#{hid}" '
                    f'aria-label="Link to this heading">#</a></h{level}>')

        return _HEADING.sub(heading, rendered)


# --------------------------------------------------------------------------- exporter
class ReadinessHTMLExporter(HTMLExporter):
    """nbconvert HTML exporter for readiness reports (template ``readiness``)."""

    export_from_notebook = "Readiness report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATE_DIR)]

    @property
    def default_config(self) -> Config:
        config = super().default_config
        config.merge(Config({
            "NbConvertBase": {"display_data_priority": DISPLAY_PRIORITY},
            "TemplateExporter": {
                "exclude_input": True,
                "exclude_input_prompt": True,
                "exclude_output_prompt": True,
                "exclude_output_stdin": True,
            },
            "HTMLExporter": {"exclude_anchor_links": True},
            "Exporter": {"optimistic_validation": True},
            "TagRemovePreprocessor": {
                "enabled": True,
                "remove_cell_tags": set(REMOVE_CELL_TAGS),
                "remove_all_outputs_tags": set(REMOVE_OUTPUT_TAGS),
                "remove_single_output_tags": set(REMOVE_OUTPUT_TAGS),
                "remove_input_tags": set(REMOVE_INPUT_TAGS),
            },
            "HighlightMagicsPreprocessor": {"enabled": False},
        }))
        return config

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register_preprocessor(
            ReadinessPreprocessor(parent=self, render_markdown=self.markdown2html), enabled=True)
        self.register_filter("rk_figure_json", figure_json)
        self.register_filter("rk_strip_ansi", strip_ansi)
        self.register_filter("rk_b64", _b64)

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict | None = None, **kw: Any
    ) -> tuple[str, dict]:
        """Export ``nb`` (a combined notebook, or one executed notebook) to the report HTML.

        ``resources["readiness_header"]`` carries the header mapping. Unlike the stock
        HTMLExporter, the output is not re-parsed with BeautifulSoup (seconds on a large
        report); the template writes alt text itself.
        """
        if not _is_combined(nb):
            nb = combine_notebooks([nb])
        resources = dict(resources or {})
        nonce = secrets.token_hex(12)
        placeholder = f"/*readiness-kit:plotly.js:{nonce}*/"
        resources["readiness"] = {
            **header_context(resources.pop("readiness_header", None)),
            "fragment_css": FRAGMENT_CSS,
            "colours": _colours(),
            "plotly_placeholder": placeholder,
        }
        output, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if resources["readiness"]["figures"]:
            at = output.rfind(placeholder)
            if at < 0:  # the template must carry the placeholder when there are figures
                raise RuntimeError("report template did not include plotly.js")
            output = output[:at] + plotly_js() + output[at + len(placeholder):]
        return output, resources


def _b64(text: Any) -> str:
    import base64

    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return base64.b64encode(data).decode("ascii")


# --------------------------------------------------------------------------- API
def export_html(
    notebooks: Sequence[str | os.PathLike | NotebookNode],
    header: Mapping[str, Any] | None,
    *,
    exporter: ReadinessHTMLExporter | None = None,
) -> str:
    """The report HTML as a string (see :func:`render_report`)."""
    exporter = exporter or ReadinessHTMLExporter()
    combined = combine_notebooks(notebooks)
    output, _ = exporter.from_notebook_node(combined, {"readiness_header": header})
    return output


def render_report(
    notebooks: Sequence[str | os.PathLike | NotebookNode],
    header: Mapping[str, Any] | None,
    output_path: str | os.PathLike,
    *,
    exporter: ReadinessHTMLExporter | None = None,
) -> Path:
    """Write ONE self-contained HTML report for the executed ``notebooks`` (paths or
    nbformat nodes, in order; each becomes a section) and return its path.

    ``header``: tenant, display_name, run_id, generated_at (datetime or ISO text), gate
    (ready | conditional | not_ready), gate_reasons (list of str), evidence_sha256,
    toolkit_version, scores (domain -> 0-100, or -> {"score": ...}; ``domains`` is accepted
    too, so a ``summary.json`` mapping works) and optionally counts (status -> number),
    as_of and title. Every value is escaped. The file is written atomically (temporary file,
    then rename).
    """
    out = Path(output_path)
    text = export_html(notebooks, header, exporter=exporter)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
