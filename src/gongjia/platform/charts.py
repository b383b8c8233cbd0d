"""Charts drawn on the server as SVG, for pages that are printed or made into a PDF (WeasyPrint
runs no script, so the theme's Chart.js cannot draw there). Two shapes: a figure over the years
(columns, with its target as a line) and a figure compared across units (bars, largest first).
The labels are the figures as they read (formatting.figure)."""

from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

from gongjia.platform import formatting, kpis

INK, BAR, TARGET, MUTED = "#1f2937", "#2563eb", "#dc2626", "#6b7280"
FONT = 'font-family="WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif"'


def _number(value) -> float | None:
    value = kpis.total(value)
    return None if value is None else float(value)


def columns(points, fmt: str = formatting.COUNT, target=None, width=520, height=170):
    """[(year, value), ...] as columns, each labelled with the figure; `target` as a red line."""
    values = [_number(v) for _y, v in points]
    top = max([v for v in values if v is not None] + [_number(target) or 0, 0]) or 1
    n = max(len(points), 1)
    plot_h, base = height - 38, height - 20
    step = (width - 10) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" {FONT} font-size="10">'
    ]
    for i, ((year, raw), v) in enumerate(zip(points, values, strict=True)):
        x = 5 + i * step
        if v is not None:
            h = plot_h * v / top
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}"'
                f' height="{h:.1f}" fill="{BAR}"/>'
            )
        label = escape(formatting.figure(raw, fmt))
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{base - (plot_h * (v or 0) / top) - 3:.1f}"'
            f' text-anchor="middle" fill="{INK}" font-size="9">{label}</text>'
            f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle"'
            f' fill="{MUTED}">{year}</text>'
        )
    if target is not None:
        y = base - plot_h * _number(target) / top
        parts.append(
            f'<line x1="5" x2="{width - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}"'
            f' stroke-dasharray="4 3"/>'
        )
    parts.append(f'<line x1="5" x2="{width - 5}" y1="{base}" y2="{base}" stroke="{MUTED}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text in it is escaped above


def bars(rows, fmt: str = formatting.COUNT, width=520, row_h=16, label_w=150):
    """[(name, value), ...] as horizontal bars in the order given, each with its figure."""
    values = [_number(v) for _n, v in rows]
    top = max([v for v in values if v is not None] + [0]) or 1
    height = row_h * max(len(rows), 1) + 4
    plot_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" {FONT} font-size="10">'
    ]
    for i, ((name, raw), v) in enumerate(zip(rows, values, strict=True)):
        y = 2 + i * row_h
        w = plot_w * (v or 0) / top
        parts.append(
            f'<text x="{label_w - 4}" y="{y + row_h * 0.72:.1f}" text-anchor="end"'
            f' fill="{INK}">{escape(str(name))}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 5}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + row_h * 0.72:.1f}" fill="{INK}">'
            f"{escape(formatting.figure(raw, fmt))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text in it is escaped above
