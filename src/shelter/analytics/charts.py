"""Charts: a Vega-Lite specification per table, rendered on the server to SVG or PNG with vl-convert.

Rendering is offline (vl-convert embeds the Vega runtime; the specification carries its data inline and
names no remote resource), so the same chart appears on the page, in the PDF and in exports. Starting
vl-convert's engine costs a second or more per process: a rendered chart is kept on disk under the digest of
its specification and the renderer's version (:mod:`shelter.analytics.rendered`), and vl-convert is imported
only when a chart is not there.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.metadata import version
from typing import Any, Literal

from shelter.analytics.rendered import kept
from shelter.analytics.tables import OTHER_KEY, Table, count_of

__all__ = ["CHART_FORMATS", "ChartFormat", "chart_spec", "render_chart"]

ChartFormat = Literal["svg", "png"]
CHART_FORMATS: tuple[str, ...] = ("svg", "png")

# DejaVu Sans carries Cyrillic, so Russian labels render the same in the page and the PDF.
FONT = "DejaVu Sans"
# One colour per category (Okabe and Ito's palette, told apart with the common colour-vision deficiencies),
# repeated past eight; the "other" row of a public chart is grey, a time series one colour.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8a7a00", "#000000")
SERIES_COLOUR = "#0072b2"
OTHER_COLOUR = "#8c8c8c"
MAX_BARS = 20
WIDTH = 640
FONT_SIZE = 13
# Every bar carries its count as a label, so the count axis is not drawn: no tick can read as a count
# a public chart does not publish.
COUNT_AXIS = None


def chart_spec(table: Table, max_bars: int = MAX_BARS) -> dict[str, Any]:
    """A Vega-Lite bar chart of ``table``'s label and count columns, each bar in its own colour and labelled with
    its count. The page names the chart (its heading and the image's text), so the chart carries no title.

    A withheld count (``"x"``, in no public table since public tables merge them) would be drawn without a bar,
    with its label, so a chart shows exactly what its table shows.
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
    colour_of = {str(row["label"]): OTHER_COLOUR if row.get("key") == OTHER_KEY else
                 SERIES_COLOUR if table.chart == "columns" else PALETTE[index % len(PALETTE)]
                 for index, row in enumerate(rows)}
    colour = {"field": "label", "type": "nominal", "legend": None,
              "scale": {"domain": order, "range": [colour_of[str(label)] for label in order]}}
    if table.chart == "columns":
        label_axis: dict[str, Any] = {"field": "label", "type": "ordinal", "title": label_title, "sort": order,
                                      "axis": {"labelAngle": -45}}
        position = {"x": label_axis, "y": {"field": "value", "type": "quantitative", "title": count_title,
                                           "axis": COUNT_AXIS}}
        text_offset: dict[str, Any] = {"dy": -6, "align": "center", "baseline": "bottom"}
        size: dict[str, Any] = {"width": WIDTH, "height": 280}
    else:
        label_axis = {"field": "label", "type": "nominal", "title": None, "sort": order,
                      "axis": {"labelLimit": 240}}
        position = {"y": label_axis, "x": {"field": "value", "type": "quantitative", "title": count_title,
                                           "axis": COUNT_AXIS}}
        text_offset = {"dx": 4, "align": "left", "baseline": "middle"}
        size = {"width": WIDTH - 240, "height": {"step": 26}}
    label_key = "x" if table.chart == "columns" else "y"
    value_key = "y" if label_key == "x" else "x"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        **size,
        "layer": [
            {"mark": {"type": "bar"}, "encoding": {**position, "color": colour}},
            {
                "mark": {"type": "text", **text_offset, "fontSize": FONT_SIZE},
                "encoding": {
                    label_key: position[label_key],
                    value_key: {"field": "plotted", "type": "quantitative"},
                    "text": {"field": "shown"},
                },
                "transform": [{"calculate": "datum.value === null ? 0 : datum.value", "as": "plotted"}],
            },
        ],
        "config": {"font": FONT, "view": {"stroke": None},
                   "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": FONT_SIZE,
                            "titleFontSize": FONT_SIZE}},
    }


def render_chart(spec: dict[str, Any], fmt: ChartFormat = "svg") -> bytes:
    """``spec`` rendered to SVG (UTF-8 bytes) or PNG."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format '{fmt}' (expected one of {', '.join(CHART_FORMATS)})")
    return _render(json.dumps(spec, sort_keys=True), fmt)


# Identical charts (the same filters, the same data) are rendered once, and read from disk once per process.
@lru_cache(maxsize=256)
def _render(spec_json: str, fmt: str) -> bytes:
    # Everything the drawing depends on names the kept file: renderer, its version, format, scale, specification.
    parts = (RENDERER, renderer_version(), fmt, str(PNG_SCALE), spec_json)
    return kept("charts", fmt, parts, lambda: _draw(spec_json, fmt))


RENDERER = "vl-convert-python"
PNG_SCALE = 2


@lru_cache(maxsize=1)
def renderer_version() -> str:
    return version(RENDERER)


def _draw(spec_json: str, fmt: str) -> bytes:
    import vl_convert

    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec_json).encode("utf-8")
    return bytes(vl_convert.vegalite_to_png(spec_json, scale=PNG_SCALE))
