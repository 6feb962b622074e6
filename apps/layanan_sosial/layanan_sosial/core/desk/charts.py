"""Charts as plain, accessible SVG rendered on the server (no JavaScript, no npm package).

Input is Frappe's chart dict — `{"type": "bar"|"line"|"pie"|"donut"|"percentage",
"data": {"labels": [...], "datasets": [{"name": ..., "values": [...]}]}}` — as Script
Reports return it. The output is a `<figure class="lc-chart">` holding an SVG with
`role="img"`, a title and a text summary, value labels printed on the marks (never colour
alone), a legend, and the numbers as a table in `<details>` for screen readers and copying.

The look lives in `static/charts.css` ("lc-" classes, a colour-blind safe Okabe–Ito palette,
high contrast) so a future citizen portal reuses both files as they are. Colours are also
written as SVG presentation attributes, which the stylesheet overrides, so a chart stays
legible when pasted without the CSS.

`scale_class(value, scale)` gives the class of an ordered category (worst → best, e.g. the
SPM categories Belum Tuntas … Tuntas Paripurna) on a six-step colour-blind safe scale; the
category's text is always shown with it.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from .formatting import group_number

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
MARKERS = ("circle", "square", "triangle", "diamond")
SCALE_STEPS = 6
MAX_POINTS = 200


def _num(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _fmt(value: float) -> str:
    return group_number(value, 0 if float(value).is_integer() else 2)


def normalise(chart: Any) -> dict[str, Any] | None:
    """(type, labels, datasets) from a Frappe chart dict; None when it is not one."""
    try:
        data = chart["data"]
        labels = [str(label) for label in data["labels"]][:MAX_POINTS]
        datasets = [
            {
                "name": str(d.get("name") or ""),
                "values": [_num(v) for v in list(d.get("values") or [])[: len(labels)]],
            }
            for d in data["datasets"]
        ]
    except (KeyError, TypeError, AttributeError):
        return None
    if not labels or not datasets:
        return None
    for d in datasets:
        d["values"] += [0.0] * (len(labels) - len(d["values"]))
    kind = str(chart.get("type") or "bar").lower()
    if kind not in ("bar", "line", "pie", "donut", "percentage"):
        kind = "bar"
    return {"type": kind, "labels": labels, "datasets": datasets}


def render(chart: Any, title: str = "", *, table_label: str = "Tabel data") -> Markup:
    spec = normalise(chart)
    if spec is None:
        return Markup("")
    title = title or (spec["datasets"][0]["name"] if len(spec["datasets"]) == 1 else "")
    drawer = {"bar": _bar, "line": _line, "pie": _pie, "donut": _pie, "percentage": _percentage}
    svg, summary = drawer[spec["type"]](spec)
    uid = f"lc{abs(hash((title, tuple(spec['labels'])))) % 10**8}"
    legend = _legend(spec)
    head = (
        f'<svg class="lc-svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="inherit" '
    )
    out = [
        f'<figure class="lc-chart lc-{spec["type"]}" data-chart-type="{spec["type"]}">',
        head + svg[0] + ">",
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(summary)}</desc>',
        svg[1],
        "</svg>",
        legend,
        f"<figcaption>{escape(title)}</figcaption>" if title else "",
        _table(spec, table_label),
        "</figure>",
    ]
    return Markup("".join(out))


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _legend(spec: dict[str, Any]) -> str:
    if spec["type"] in ("pie", "donut", "percentage"):
        items = list(enumerate(spec["labels"]))
    elif len(spec["datasets"]) > 1:
        items = [(i, d["name"]) for i, d in enumerate(spec["datasets"])]
    else:
        return ""
    parts = [
        f'<li><span class="lc-swatch lc-s{i % len(PALETTE)}" style="background:{_colour(i)}" '
        f'aria-hidden="true"></span>{escape(name)}</li>'
        for i, name in items
    ]
    return '<ul class="lc-legend">' + "".join(parts) + "</ul>"


def _table(spec: dict[str, Any], label: str) -> str:
    head = "".join(f'<th scope="col">{escape(d["name"])}</th>' for d in spec["datasets"])
    rows = []
    for i, name in enumerate(spec["labels"]):
        cells = "".join(f'<td class="num">{_fmt(d["values"][i])}</td>' for d in spec["datasets"])
        rows.append(f'<tr><th scope="row">{escape(name)}</th>{cells}</tr>')
    return (
        f'<details class="lc-data"><summary>{escape(label)}</summary><table>'
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def _summary(spec: dict[str, Any]) -> str:
    parts = []
    for d in spec["datasets"]:
        pairs = ", ".join(
            f"{lab}: {_fmt(v)}" for lab, v in zip(spec["labels"], d["values"], strict=True)
        )
        parts.append(f"{d['name']}: {pairs}" if d["name"] else pairs)
    return "; ".join(parts)


# -- bar (horizontal, grouped: long labels such as kabupaten names stay readable) ---------


def _bar(spec: dict[str, Any]) -> tuple[tuple[str, str], str]:
    labels, datasets = spec["labels"], spec["datasets"]
    n = len(datasets)
    bar_h, gap, label_w, width, value_w = 14, 10, 170, 720, 70
    plot_w = width - label_w - value_w
    top = max([v for d in datasets for v in d["values"]] + [0]) or 1
    low = min([v for d in datasets for v in d["values"]] + [0])
    span = (top - low) or 1
    zero = label_w + plot_w * (-low / span)
    group_h = n * bar_h + gap
    height = len(labels) * group_h + gap
    body = [
        f'<line class="lc-axis" x1="{zero:.1f}" x2="{zero:.1f}" y1="0" y2="{height}" stroke="#333"/>'
    ]
    for gi, label in enumerate(labels):
        y0 = gap / 2 + gi * group_h
        body.append(
            f'<text class="lc-label" x="{label_w - 8}" y="{y0 + n * bar_h / 2 + 4:.1f}" '
            f'text-anchor="end" font-size="12" fill="#1a1a1a">{escape(_clip(label, 26))}</text>'
        )
        for di, d in enumerate(datasets):
            value = d["values"][gi]
            w = abs(value) / span * plot_w
            x = zero if value >= 0 else zero - w
            y = y0 + di * bar_h
            name = (
                f"{d['name']} · {label}: {_fmt(value)}" if d["name"] else f"{label}: {_fmt(value)}"
            )
            body.append(
                f'<rect class="lc-mark lc-s{di % len(PALETTE)}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{max(w, 1):.1f}" height="{bar_h - 2}" fill="{_colour(di)}">'
                f"<title>{escape(name)}</title></rect>"
            )
            tx = (x + w + 4) if value >= 0 else (x - 4)
            anchor = "start" if value >= 0 else "end"
            body.append(
                f'<text class="lc-value" x="{tx:.1f}" y="{y + bar_h - 4:.1f}" font-size="11" '
                f'text-anchor="{anchor}" fill="#1a1a1a">{_fmt(value)}</text>'
            )
    attrs = f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px"'
    return (attrs, "".join(body)), _summary(spec)


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# -- line ------------------------------------------------------------------------------


def _ticks(top: float, low: float) -> list[float]:
    span = (top - low) or 1
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    out, v = [], start
    while v <= top + step / 2 and len(out) < 12:
        out.append(round(v, 10))
        v += step
    return out


def _marker(kind: str, x: float, y: float, colour: str, cls: str, tip: str) -> str:
    title = f"<title>{escape(tip)}</title>"
    if kind == "square":
        return f'<rect class="{cls}" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">{title}</rect>'
    if kind == "triangle":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon class="{cls}" points="{pts}" fill="{colour}">{title}</polygon>'
    if kind == "diamond":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon class="{cls}" points="{pts}" fill="{colour}">{title}</polygon>'
    return f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{title}</circle>'


def _line(spec: dict[str, Any]) -> tuple[tuple[str, str], str]:
    labels, datasets = spec["labels"], spec["datasets"]
    width, height, left, right, top_pad, bottom = 720, 300, 60, 20, 16, 60
    values = [v for d in datasets for v in d["values"]]
    ticks = _ticks(max(values + [0]), min(values + [0]))
    low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    plot_w, plot_h = width - left - right, height - top_pad - bottom

    def sx(i: int) -> float:
        return left + (plot_w * i / (len(labels) - 1) if len(labels) > 1 else plot_w / 2)

    def sy(v: float) -> float:
        return top_pad + plot_h * (1 - (v - low) / (high - low))

    body = []
    for t in ticks:
        body.append(
            f'<line class="lc-grid" x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#ddd"/>'
            f'<text class="lc-tick" x="{left - 6}" y="{sy(t) + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{_fmt(t)}</text>'
        )
    every = max(1, math.ceil(len(labels) / 12))
    for i, label in enumerate(labels):
        if i % every == 0:
            body.append(
                f'<text class="lc-label" x="{sx(i):.1f}" y="{height - bottom + 18}" font-size="11" '
                f'text-anchor="middle" fill="#1a1a1a">{escape(_clip(label, 14))}</text>'
            )
    for di, d in enumerate(datasets):
        colour, cls = _colour(di), f"lc-mark lc-s{di % len(PALETTE)}"
        pts = " ".join(f"{sx(i):.1f},{sy(v):.1f}" for i, v in enumerate(d["values"]))
        body.append(
            f'<polyline class="lc-line lc-s{di % len(PALETTE)}" points="{pts}" fill="none" '
            f'stroke="{colour}" stroke-width="2.5"/>'
        )
        for i, v in enumerate(d["values"]):
            tip = f"{d['name']} · {labels[i]}: {_fmt(v)}"
            body.append(_marker(MARKERS[di % len(MARKERS)], sx(i), sy(v), colour, cls, tip))
    attrs = f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px"'
    return (attrs, "".join(body)), _summary(spec)


# -- pie / donut / percentage (first dataset) --------------------------------------------


def _shares(spec: dict[str, Any]) -> tuple[list[float], float]:
    values = [max(v, 0.0) for v in spec["datasets"][0]["values"]]
    return values, sum(values) or 1.0


def _pie(spec: dict[str, Any]) -> tuple[tuple[str, str], str]:
    values, total = _shares(spec)
    size, r = 320, 140
    cx = cy = size / 2
    inner = 70 if spec["type"] == "donut" else 0
    body, angle = [], -math.pi / 2
    for i, (label, v) in enumerate(zip(spec["labels"], values, strict=True)):
        if v <= 0:
            continue
        share = v / total
        tip = f"{label}: {_fmt(v)} ({group_number(share * 100, 1)} %)"
        cls = f"lc-mark lc-s{i % len(PALETTE)}"
        if share >= 0.9999:
            body.append(
                f'<circle class="{cls}" cx="{cx}" cy="{cy}" r="{r}" fill="{_colour(i)}"><title>{escape(tip)}</title></circle>'
            )
        else:
            end = angle + share * 2 * math.pi
            large = 1 if share > 0.5 else 0
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
            path = f"M{cx},{cy} L{x1:.2f},{y1:.2f} A{r},{r} 0 {large} 1 {x2:.2f},{y2:.2f} Z"
            body.append(
                f'<path class="{cls}" d="{path}" fill="{_colour(i)}" stroke="#fff" stroke-width="2">'
                f"<title>{escape(tip)}</title></path>"
            )
            mid = (angle + end) / 2
            if share >= 0.06:
                lx, ly = cx + r * 0.68 * math.cos(mid), cy + r * 0.68 * math.sin(mid)
                if inner:
                    lx, ly = (
                        cx + (r + inner) / 2 * math.cos(mid),
                        cy + (r + inner) / 2 * math.sin(mid),
                    )
                body.append(
                    f'<text class="lc-value lc-on-mark" x="{lx:.1f}" y="{ly + 4:.1f}" font-size="12" '
                    f'text-anchor="middle" fill="#fff" stroke="#000" stroke-width="0.6" '
                    f'paint-order="stroke">{group_number(share * 100, 0)} %</text>'
                )
            angle = end
    if inner:
        body.append(f'<circle cx="{cx}" cy="{cy}" r="{inner}" fill="#fff"/>')
    attrs = f'viewBox="0 0 {size} {size}" width="100%" style="max-width:{size}px"'
    return (attrs, "".join(body)), _summary(spec)


def _percentage(spec: dict[str, Any]) -> tuple[tuple[str, str], str]:
    values, total = _shares(spec)
    width, height = 720, 44
    body, x = [], 0.0
    for i, (label, v) in enumerate(zip(spec["labels"], values, strict=True)):
        if v <= 0:
            continue
        w = v / total * width
        tip = f"{label}: {_fmt(v)} ({group_number(v / total * 100, 1)} %)"
        body.append(
            f'<rect class="lc-mark lc-s{i % len(PALETTE)}" x="{x:.1f}" y="0" width="{w:.1f}" '
            f'height="{height}" fill="{_colour(i)}" stroke="#fff" stroke-width="2"><title>{escape(tip)}</title></rect>'
        )
        if w > 44:
            body.append(
                f'<text class="lc-value lc-on-mark" x="{x + w / 2:.1f}" y="{height / 2 + 5}" font-size="13" '
                f'text-anchor="middle" fill="#fff" stroke="#000" stroke-width="0.6" paint-order="stroke">'
                f"{group_number(v / total * 100, 0)} %</text>"
            )
        x += w
    attrs = f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px"'
    return (attrs, "".join(body)), _summary(spec)


# -- ordered categories ------------------------------------------------------------------


def scale_class(value: Any, scale: Any) -> str:
    """`lc-scale lc-scale-<0..5>` for `value`'s position in `scale` (worst first); "" when
    the value is not on the scale."""
    if not isinstance(scale, list | tuple) or len(scale) < 2 or value in (None, ""):
        return ""
    try:
        index = [str(s) for s in scale].index(str(value))
    except ValueError:
        return ""
    step = round(index * (SCALE_STEPS - 1) / (len(scale) - 1))
    return f"lc-scale lc-scale-{step}"
