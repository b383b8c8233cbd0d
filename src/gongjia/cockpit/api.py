"""/api/v1/cockpit/kpis: every indicator over the caller's scope."""

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from gongjia.orgs.models import OrgUnit
from gongjia.platform import kpis, scope
from gongjia.platform.api_base import ErrorOut, Year

router = Router(tags=["cockpit"])


class KpiOut(Schema):
    key: str
    label: str
    value: float | int | dict[str, int] | None
    unit: str
    year: int | None = None
    target: float | None = None
    link: str = ""


@router.get("/kpis", response={200: list[KpiOut], 401: ErrorOut, 422: ErrorOut})
def list_kpis(request, year: Year | None = None, key: str | None = None, under: str | None = None):
    """Indicators as a list; `key` (comma-separated) limits the list to those keys; `under`
    (a unit code, e.g. a town federation) gives the figures of that branch of the caller's
    scope."""
    keys = [k.strip() for k in key.split(",")] if key else None
    user = request.user
    if under:
        unit = OrgUnit.objects.filter(code=under).first()
        if unit is None:
            raise ValidationError({"under": [f"单位代码 {under} 不存在"]})
        user = scope.narrowed(user, unit)
    return kpis.evaluate(user, year=year, keys=keys)
