"""The annual report of the reform (产改年度报告) over a scope and a year: every figure the
reader may see, by programme, each said in a sentence built from the records, with the year
before, its target, its trend over the years and, per programme, a comparison across the towns
(or units) under the reader; as a print-ready page, a PDF and an Excel workbook of every figure
by town. It is written from the indicator registry alone: a figure declared later appears in
it without a line here."""

import io
from itertools import groupby

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import charts, figure_cache, formatting, kpis


def default_year() -> int:
    """An annual report is of a year that has ended."""
    return timezone.localdate().year - 1


def scope_name(user) -> str:
    from gongjia.platform import scope

    if isinstance(user, scope.Narrowed):
        return user._unit.name
    own = [ra.unit for ra in user.role_assignments()]
    if own:
        return min(own, key=lambda u: u.depth).name
    root = scope.unit_model().objects.filter(depth=1).order_by("path").first()
    return root.name if root else ""


def _with_unit(figure: dict) -> str:
    if figure["value"] is None or figure["fmt"] == kpis.SHARE:
        return figure["display"]
    return f"{figure['display']} {figure['unit']}"


def sentence(ind: kpis.Indicator, figure: dict, words: dict) -> str:
    """The figure in a sentence: its own, or the plain one. A sentence's words: `%(value)s` and
    `%(period)s` of the figure, `%(<key>)s` any figure of the same scope and year as it reads
    with its unit, `%(n:<key>)s` the number alone, and (for a function) `v:<key>` the value.
    A sentence naming a figure the reader may not see is not said; the plain one is."""
    words = {**words, "value": words[ind.key], "period": figure["period"]}
    try:
        if callable(ind.sentence):
            return str(ind.sentence(words))
        if ind.sentence:
            return str(ind.sentence) % words
    except KeyError:
        pass
    return _("%(period)s, %(label)s: %(value)s.") % {
        "period": figure["period"],
        "label": figure["label"],
        "value": words["value"],
    }


def _words(figures: dict) -> dict:
    words = {}
    for key, f in figures.items():
        words[key] = _with_unit(f)
        words[f"n:{key}"] = f["display"]
        words[f"v:{key}"] = f["value"]
    return words


def programme(key: str) -> str:
    """The programme a figure belongs to: the app its key begins with."""
    return key.split(".", 1)[0]


def programme_title(name: str) -> str:
    return str(apps.get_app_config(name).verbose_name)


def _programme_order() -> dict[str, int]:
    return {a.label: i for i, a in enumerate(apps.get_app_configs())}


def build(user, year: int) -> dict:
    """Everything the report says, as data (the page, the PDF and the API share it)."""
    keys = kpis.visible(user)
    registry = kpis.registry()
    order = _programme_order()
    units = kpis.compared_units(user)
    with figure_cache.reading():
        now = {f["key"]: f for f in kpis.evaluate(user, year=year, keys=keys)}
        before = {f["key"]: f for f in kpis.evaluate(user, year=year - 1, keys=keys)}
        said = _words(now)
        sections, brief = [], []
        ordered = sorted(keys, key=lambda k: (order.get(programme(k), 999), k))
        for name, group in groupby(ordered, key=programme):
            figures, compare = [], None
            for key in group:
                ind, f, p = registry[key], now[key], before[key]
                trend = kpis.trend(key, user, year)
                figures.append(
                    {
                        **f,
                        "sentence": sentence(ind, f, said),
                        "said_apart": ind.sentence is not None,
                        "previous": p["display"] if ind.by_year else formatting.DASH,
                        "reached": kpis.reached(f["value"], f["target"], f["target_op"]),
                        "trend_chart": charts.columns(trend, ind.fmt, f["target"]) if trend else "",
                    }
                )
                if compare is None and ind.counts and units and f["value"] is not None:
                    rows = kpis.breakdown(key, user, units, year)
                    compare = {
                        "label": f["label"],
                        "rows": rows,
                        "chart": charts.bars([(r["name"], r["value"]) for r in rows], ind.fmt),
                    }
                    per = kpis.rate_of(ind, user)
                    if per:  # where the count would mislead, its rate too, highest first
                        rated = sorted(
                            (
                                (r["name"], round(r["rate"], 1))
                                for r in rows
                                if r["rate"] is not None
                            ),
                            key=lambda pair: -pair[1],
                        )
                        compare["per"] = {"label": per.label, "chart": charts.bars(rated)}
            brief += [f["sentence"] for f in figures if f["said_apart"] and f["value"] is not None]
            sections.append(
                {
                    "key": name,
                    "title": programme_title(name),
                    "figures": figures,
                    "compare": compare,
                }
            )
    return {
        "scope": scope_name(user),
        "year": year,
        "sections": sections,
        # The headlines: the sentences figures declare; the plain ones if none does.
        "brief": brief
        or [f["sentence"] for x in sections for f in x["figures"] if f["value"] is not None],
        "compared_across": _("the towns")
        if units and units[0].kind == "town_federation"
        else _("the units under it"),
        "made_on": timezone.localdate(),
    }


def html(user, year: int, *, pdf: bool = False, links: dict | None = None) -> str:
    return render_to_string(
        "cockpit/report.html", {**build(user, year), "pdf": pdf, "links": links or {}}
    )


def pdf(user, year: int, base_url: str) -> bytes:
    from gongjia.platform.paperwork import render_pdf

    return render_pdf(html(user, year, pdf=True), base_url)


def filename(user, year: int, ext: str) -> str:
    title = _("%(scope)s %(year)s annual report of the reform") % {
        "scope": scope_name(user),
        "year": year,
    }
    return f"{title}.{ext}"


def xlsx(user, year: int) -> bytes:
    """Every figure of the scope (sheet 1) and every figure by town or unit (sheet 2), the
    numbers as numbers (shares as percentages, money in yuan) for the reader to add up."""
    import xlsxwriter

    keys = kpis.visible(user)
    registry = kpis.registry()
    units = kpis.compared_units(user)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    money = book.add_format({"num_format": "#,##0.00"})
    whole = book.add_format({"num_format": "#,##0"})

    def style(ind):
        return {kpis.SHARE: percent, kpis.MONEY: money}.get(ind.fmt, whole)

    with figure_cache.reading():
        figures = kpis.evaluate(user, year=year, keys=keys)
        sheet = book.add_worksheet(_("Figures"))
        headers = [_("Key"), _("Figure"), _("Value"), _("Unit"), _("Period"), _("Target")]
        headers.append(_("Target line"))
        sheet.write_row(0, 0, headers, bold)
        for r, f in enumerate(figures, start=1):
            ind = registry[f["key"]]
            sheet.write_row(r, 0, [f["key"], f["label"]])
            if f["value"] is not None:
                sheet.write_number(r, 2, kpis.total(f["value"]), style(ind))
            sheet.write_row(r, 3, ["" if ind.fmt == kpis.SHARE else f["unit"], f["period"]])
            if f["target"] is not None:
                sheet.write_number(r, 5, f["target"], style(ind))
                sheet.write(r, 6, f["target_display"])
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 6, 14)

        by = book.add_worksheet(
            _("By town") if units and units[0].kind == "town_federation" else _("By unit")
        )
        by.write_row(0, 0, [_("Unit code"), _("Unit")], bold)
        for c, f in enumerate(figures, start=2):
            by.write(0, c, f["label"], bold)
        for r, unit in enumerate(units, start=1):
            by.write_row(r, 0, [unit.code, unit.name])
        for c, f in enumerate(figures, start=2):
            ind = registry[f["key"]]
            rows = {
                row["code"]: row["value"] for row in kpis.breakdown(f["key"], user, units, year)
            }
            for r, unit in enumerate(units, start=1):
                value = kpis.total(rows.get(unit.code))
                if value is not None:
                    by.write_number(r, c, value, style(ind))
        by.freeze_panes(1, 2)
        by.set_column(0, 0, 14)
        by.set_column(1, 1, 26)
        by.set_column(2, 1 + len(figures), 12)
    book.close()
    return out.getvalue()


FORMATS = ("html", "pdf", "xlsx")


def response(request, user, year: int, fmt: str, links: dict | None = None):
    """The report as the page, a PDF or a workbook, with a file name that says what it is."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    if fmt == "pdf":
        out = HttpResponse(pdf(user, year, request.build_absolute_uri("/")), "application/pdf")
    elif fmt == "xlsx":
        out = HttpResponse(
            xlsx(user, year),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        return HttpResponse(html(user, year, links=links))
    out.headers["Content-Disposition"] = content_disposition_header(
        fmt == "xlsx", filename(user, year, fmt)
    )
    return out
