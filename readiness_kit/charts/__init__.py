"""Plotly figure builders in one house style (``charts.style``).

``charts.common`` holds the cross-domain figures (readiness by domain, findings by domain x
severity, status per check); ``charts.<domain>`` holds figures specific to one domain.
"""

from readiness_kit.charts import style  # noqa: F401  (sets the template and renderer)
