"""Charts: a Vega-Lite specification per table, rendered on the server to SVG or PNG with vl-convert.

Rendering is offline (vl-convert embeds the Vega runtime; the specification carries its data inline and
names no remote resource), so the same chart appears on the page, in the PDF and in exports. Pure: no
Django.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Literal

import vl_convert

from shelter.analytics.tables import Table, count_of

__all__ = ["CHART_FORMATS", "ChartFormat", "chart_spec", "render_chart"]

ChartFormat = Literal["svg", "png"]
CHART_FORMATS: tuple[str, ...] = ("svg", "png")

# DejaVu Sans carries Cyrillic, so Russian labels render the same in the page and the PDF.
FONT = "DejaVu Sans"
BAR_COLOUR = "#3b5b92"
MAX_BARS = 20
WIDTH = 520
# Every bar carries its count as a label, so the count axis is not drawn: no tick can read as a count
# (a public chart must show no withheld count other than as "x")
COUNT_AXIS = None


def chart_spec(table: Table, max_bars: int = MAX_BARS) -> dict[str, Any]:
    """A Vega-Lite bar chart of ``table``'s label and count columns.

    A withheld count (``"x"``) is drawn without a bar, with its ``x`` label, so a public chart shows
    exactly what its table shows.
    """
    if table.chart is None:
        raise ValueError(f"table '{table.name}' has no chart")
    rows = table.rows if table.chart == "columns" else table.rows[:max_bars]
    values = [
        {"label": str(row["label"]), "value": count_of(row["count"]), "shown": str(row["count"]), "order": index}
        for index, row in enumerate(rows)
    ]
    # An explicit order: a suppressed row has no bar, and Vega-Lite would otherwise move it to the end.
    order = list(dict.fromkeys(value["label"] for value in values))
    count_title = next((c.title for c in table.columns if c.key == "count"), "count")
    label_title = next((c.title for c in table.columns if c.key == "label"), "")
    if table.chart == "columns":
        label_axis: dict[str, Any] = {"field": "label", "type": "ordinal", "title": label_title, "sort": order,
                                      "axis": {"labelAngle": -45}}
        position = {"x": label_axis, "y": {"field": "value", "type": "quantitative", "title": count_title,
                                           "axis": COUNT_AXIS}}
        text_offset: dict[str, Any] = {"dy": -6, "align": "center", "baseline": "bottom"}
        size: dict[str, Any] = {"width": WIDTH, "height": 220}
    else:
        label_axis = {"field": "label", "type": "nominal", "title": None, "sort": order,
                      "axis": {"labelLimit": 220}}
        position = {"y": label_axis, "x": {"field": "value", "type": "quantitative", "title": count_title,
                                           "axis": COUNT_AXIS}}
        text_offset = {"dx": 4, "align": "left", "baseline": "middle"}
        size = {"width": WIDTH - 200, "height": {"step": 18}}
    label_key = "x" if table.chart == "columns" else "y"
    value_key = "y" if label_key == "x" else "x"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": table.title,
        "data": {"values": values},
        **size,
        "layer": [
            {"mark": {"type": "bar", "color": BAR_COLOUR}, "encoding": position},
            {
                "mark": {"type": "text", **text_offset, "fontSize": 10},
                "encoding": {
                    label_key: position[label_key],
                    value_key: {"field": "plotted", "type": "quantitative"},
                    "text": {"field": "shown"},
                },
                "transform": [{"calculate": "datum.value === null ? 0 : datum.value", "as": "plotted"}],
            },
        ],
        "config": {"font": FONT, "view": {"stroke": None}, "axis": {"labelFont": FONT, "titleFont": FONT},
                   "title": {"font": FONT, "anchor": "start"}},
    }


def render_chart(spec: dict[str, Any], fmt: ChartFormat = "svg") -> bytes:
    """``spec`` rendered to SVG (UTF-8 bytes) or PNG."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format '{fmt}' (expected one of {', '.join(CHART_FORMATS)})")
    return _render(json.dumps(spec, sort_keys=True), fmt)


# Identical charts (the same filters, the same data) are rendered once.
@lru_cache(maxsize=256)
def _render(spec_json: str, fmt: str) -> bytes:
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec_json).encode("utf-8")
    return bytes(vl_convert.vegalite_to_png(spec_json, scale=2))
