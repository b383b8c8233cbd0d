"""Policy parameters as data: values by effective date, per-region overrides, legal references.

Each app keeps YAML files under `<app>/parameters/`. A file maps dotted keys to:

    security.lockout_threshold:
      label: 登录失败锁定次数 / Failed logins before lockout
      unit: times
      reference: GB/T 22239-2019 8.1.4.1 b (number: confirm)
      values:                      # in force from `since` until the next entry
        - {since: 2019-12-01, value: 5}
      regions:                     # optional: region code prefix -> its own dated values
        "330109": [{since: 2024-01-01, value: 5}]

`value(key, on=date, region=code)` takes the most specific region override (longest code prefix)
in force on that date, else the general value. Unknown keys and dates before the first entry
raise UnknownParameter, never a silent default.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone


class UnknownParameter(LookupError):
    pass


class NotInForce(UnknownParameter, ValidationError):
    """A rule asked for on a day before its first value: the date given lies outside what the
    platform's rules cover. Said to the user like any other refused input."""

    def __init__(self, parameter: "Parameter", on: dt.date):
        from django.utils.translation import gettext as _

        ValidationError.__init__(
            self,
            _("%(d)s is before the first date the rule “%(r)s” covers (%(f)s): check the date.")
            % {
                "d": on.isoformat(),
                "r": words(parameter.label),
                "f": parameter.values[0][0].isoformat(),
            },
        )


def words(text) -> str:
    """A parameter's text for people, in their language: data written "中文 / English" shows
    the Chinese part in Chinese and the English part in English; other text as it is."""
    from django.utils import translation

    text = str(text)
    parts = _BILINGUAL.split(text, maxsplit=1)
    if len(parts) != 2 or not _CJK.search(parts[0]):
        return text
    zh, en = parts
    return en.strip() if (translation.get_language() or "").startswith("en") else zh.strip()


_BILINGUAL = re.compile(r"\s*/\s+")  # "中文 / English", "中文（注）/ English"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    unit: str
    reference: str
    values: tuple  # ((since, value), ...) sorted
    regions: dict  # code -> ((since, value), ...)
    source: str

    def at(self, on: dt.date, region: str | None = None):
        series = self.values
        if region:
            for code in sorted(self.regions, key=len, reverse=True):
                if str(region).startswith(code):
                    found = _pick(self.regions[code], on)
                    if found is not _MISSING:
                        return found
                    break
        found = _pick(series, on)
        if found is _MISSING:
            if series:
                raise NotInForce(self, on)
            raise UnknownParameter(f"{self.key} has no value in force on {on}")
        return found


_MISSING = object()


def _pick(series, on):
    chosen = _MISSING
    for since, value in series:
        if since <= on:
            chosen = value
        else:
            break
    return chosen


def _series(entries, key, source):
    out = []
    for e in entries or []:
        since = e.get("since")
        if not isinstance(since, dt.date):
            raise ValueError(f"{source}: {key} has an entry without a valid 'since' date")
        out.append((since, e["value"]))
    return tuple(sorted(out, key=lambda p: p[0]))


def load_file(path: Path) -> dict[str, Parameter]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for key, spec in data.items():
        if "values" not in spec:
            raise ValueError(f"{path.name}: {key} has no values")
        out[key] = Parameter(
            key=key,
            label=str(spec.get("label", key)),
            unit=str(spec.get("unit", "")),
            reference=str(spec.get("reference", "")),
            values=_series(spec["values"], key, path.name),
            regions={
                str(code): _series(v, key, path.name)
                for code, v in (spec.get("regions") or {}).items()
            },
            source=str(path),
        )
    return out


@functools.cache
def registry() -> dict[str, Parameter]:
    found: dict[str, Parameter] = {}
    for app in apps.get_app_configs():
        folder = Path(app.path) / "parameters"
        if not app.name.startswith("gongjia.") or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            for key, p in load_file(path).items():
                if key in found:
                    raise ValueError(f"parameter {key} defined twice ({found[key].source})")
                found[key] = p
    return found


def get(key: str) -> Parameter:
    try:
        return registry()[key]
    except KeyError:
        raise UnknownParameter(f"unknown parameter {key!r}") from None


def value(key: str, on: dt.date | None = None, region: str | None = None):
    return get(key).at(on or timezone.localdate(), region)
