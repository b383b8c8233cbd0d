"""/api/v1/cockpit/kpis: every indicator over the caller's scope."""

from ninja import Router, Schema

from gongjia.platform import kpis
from gongjia.platform.api_base import ErrorOut

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
def list_kpis(request, year: int | None = None, key: str | None = None):
    """Indicators as a list; `key` (comma-separated) limits the list to those keys."""
    if year is not None and not 1900 <= year <= 2100:
        from django.core.exceptions import ValidationError

        raise ValidationError({"year": ["年份应在 1900 到 2100 之间"]})
    keys = [k.strip() for k in key.split(",")] if key else None
    return kpis.evaluate(request.user, year=year, keys=keys)
