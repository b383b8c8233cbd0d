"""/api/v1/cockpit/kpis: every indicator over the caller's scope."""

from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from gongjia.orgs.models import OrgUnit
from gongjia.platform import kpis, scope
from gongjia.platform.api_base import ErrorOut, Year, page, reference

router = Router(tags=["cockpit"])


# Plain pydantic models, not ninja's Schema: an answer of every figure with ten years each is
# several hundred objects, and Schema's per-object validator (made for ORM rows) was half of
# the answer's time.
class TrendPoint(BaseModel):
    year: int
    value: float | int | dict[str, int] | None


class KpiOut(BaseModel):
    key: str
    label: str
    value: float | int | dict[str, int] | None
    unit: str
    kind: str = Field(
        ..., description="stock（存量，期末状态）、flow（流量，期内发生）或 rate（比率）"
    )
    kind_label: str
    period: str = Field(..., description="数值所指的时点或期间，如 2020年末、2020年、2016–2020年")
    year: int | None = None
    display: str = Field(..., description="数值的通行写法，如 25,380、9.7%、352,800.00")
    target: float | None = Field(None, description="目标值（如有），与数值同一口径")
    target_op: str = Field(
        ">=",
        description="达标的方向：>=（达到或超过）、>（超过）、<=（不超过）、<（低于）；"
        "如“超过 60%”为 >",
    )
    target_display: str = ""
    trend: list[TrendPoint] = Field(
        [], description="近十年各年的数值（存量为年末、流量为当年），只有当前状态的指标为空"
    )
    link: str = ""
    records_link: str = Field(
        "", description="后台中构成该数值的记录列表（按该指标本身筛选，条数即数值）"
    )


class RecordOut(Schema):
    id: int
    label: str = Field(..., description="记录的名称，如人员姓名、案件编号")


class RecordPage(Schema):
    count: int = Field(..., description="记录总数：计数类指标即其数值")
    offset: int
    limit: int
    items: list[RecordOut]


@router.get("/kpis", response={200: list[KpiOut], 401: ErrorOut, 422: ErrorOut})
def list_kpis(
    request,
    year: Year | None = None,
    key: str | None = None,
    under: str | None = None,
    from_year: Annotated[Year | None, Query(alias="from")] = None,
    to_year: Annotated[Year | None, Query(alias="to")] = None,
    trend: bool = True,
):
    """Indicators as a list; `key` (comma-separated) limits the list to those keys; `under`
    (a unit code, e.g. a town federation) gives the figures of that branch of the caller's
    scope. `year=Y`: a stock as at the end of Y, a flow within Y; `from=Y1&to=Y2`: flows summed
    over the years, stocks and rates as at the end of Y2. Each item has its kind, unit, target
    and its trend over the ten years up to the year asked (`trend=false` leaves it out: after a
    write, ten years of a figure cost ten times one)."""
    if (from_year is None) != (to_year is None) or (from_year or 0) > (to_year or 0):
        raise ValidationError({"from": [_("Give both from and to, with from not after to.")]})
    if from_year is not None and year is not None:
        raise ValidationError({"year": [_("Give either year or from and to, not both.")]})
    keys = [k.strip() for k in key.split(",")] if key else None
    user = _under(request.user, under)
    return kpis.evaluate(
        user, year=year, keys=keys, from_year=from_year, to_year=to_year, with_trend=trend
    )


def _under(user, under: str | None):
    if not under:
        return user
    # A unit outside the caller's scope is an error (as the back office's report answers 404),
    # not a branch that silently counts nothing.
    units = scope.units_in_scope(user, OrgUnit, "view")
    unit = reference(units, "under", _("Unit code"), code=under)
    return scope.narrowed(user, unit)


class UnitFigure(Schema):
    code: str
    name: str
    value: float | int | dict[str, int] | None
    display: str = Field(..., description="数值的通行写法，如 25,380、9.7%")
    records_link: str = ""
    rate: float | None = Field(
        None, description="按 per 所说的基数折算的比率（如每万名会员的件数），无基数时为空"
    )
    rate_display: str = ""


class BreakdownOut(Schema):
    key: str
    label: str
    unit: str
    period: str
    total: float | int | dict[str, int] | None = Field(..., description="查看者范围内的合计数值")
    per: str = Field(
        "", description="单纯计数会误导时各单位比较所用的比率，如“每万名会员”；没有则为空"
    )
    per_base: str = Field("", description="比率的基数指标，如 members.total")
    total_rate: float | None = Field(None, description="查看者范围内合计的比率")
    items: list[UnitFigure]


@router.get(
    "/kpis/{key}/breakdown",
    response={200: BreakdownOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def kpi_breakdown(
    request,
    key: str,
    by: Literal["town", "unit"] = "town",
    year: Year | None = None,
    under: str | None = None,
):
    """An indicator compared across units, largest first: `by=town`, the town and street
    federations in the caller's scope (under `under` if given); `by=unit`, the units directly
    under `under` (or under the caller's own unit). Each unit's figure is the caller's scope
    narrowed to that unit, with the list of its records."""
    _known(request, key)
    user = _under(request.user, under)
    top = OrgUnit.objects.filter(code=under).first() if under and by == "unit" else None
    units = kpis.compared_units(user, by, top)
    figure = kpis.evaluate(user, year=year, keys=[key])[0]
    per = kpis.rate_of(kpis.registry()[key], request.user)
    return {
        "key": key,
        "label": figure["label"],
        "unit": figure["unit"],
        "period": figure["period"],
        "total": figure["value"],
        "per": str(per.label) if per else "",
        "per_base": per.base if per else "",
        "total_rate": kpis.figure_rate(key, user, year) if per else None,
        "items": kpis.breakdown(key, request.user, units, year),
    }


def _known(request, key: str) -> None:
    if key not in kpis.registry():
        raise Http404(_("No indicator has this key."))
    if key not in kpis.visible(request.user):
        raise PermissionDenied(_("You may not see the records behind this figure."))


@router.get(
    "/kpis/{key}/records",
    response={200: RecordPage, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def kpi_records(
    request,
    key: str,
    year: Year | None = None,
    under: str | None = None,
    offset: int = 0,
    limit: int = 50,
):
    """The records that make an indicator's figure over the caller's scope (the drill-down):
    for a count, `count` is the figure itself; for a rate or a sum, the records it is computed
    over. Paginated, newest first."""
    _known(request, key)
    found = kpis.records(key, _under(request.user, under), year)
    if found is None:
        raise Http404(_("This figure names no records for that year."))
    # A label may name related records (a risk grade its member): fetched with the page.
    related = [f.name for f in found.model._meta.concrete_fields if f.many_to_one and not f.null]
    rows = page(found.select_related(*related).order_by("-pk"), offset, limit)
    rows["items"] = [{"id": r.pk, "label": str(r)} for r in rows["items"]]
    return rows


_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/report",
    response={401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "年度报告：PDF 或 Excel 工作簿",
                "content": {
                    "application/pdf": _FILE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _FILE,
                },
            }
        }
    },
)
def annual_report(
    request,
    year: Year | None = None,
    under: str | None = None,
    format: Literal["pdf", "xlsx"] = "pdf",  # noqa: A002  the interface's own name
):
    """The annual report of the reform (产改年度报告) over the caller's scope (or the branch
    `under`) for `year` (the year that ended last by default): `format=pdf` the print-ready
    report with its sentences and charts, `format=xlsx` every figure, and every figure by town,
    as a workbook. Its figures are those of /kpis for the same year and scope."""
    from gongjia.platform import report

    user = _under(request.user, under)
    return report.response(request, user, year or report.default_year(), format)
