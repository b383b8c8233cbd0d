"""Golden YAML tests: cases policy staff can read, in `golden_*.yaml` files beside the code.

- {name, param: key, on: date, region: code, expect: value}
- {name, call: dotted.path, args: {...}, expect: value}   (or expect_error: text)
"""

from pathlib import Path

import pytest
import yaml
from django.utils.module_loading import import_string

from gongjia.platform import parameters

SRC = Path(__file__).resolve().parent.parent / "src" / "gongjia"
CASES = [
    pytest.param(case, id=f"{path.stem}: {case.get('name', i)}")
    for path in sorted(SRC.rglob("golden_*.yaml"))
    for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
]


@pytest.mark.parametrize("case", CASES)
def test_golden(case, db):
    if "param" in case:
        got = parameters.value(case["param"], on=case.get("on"), region=case.get("region"))
    else:
        func = import_string(case["call"])
        if "expect_error" in case:
            with pytest.raises(Exception, match=case["expect_error"]):
                func(**(case.get("args") or {}))
            return
        got = func(**(case.get("args") or {}))
    assert got == case["expect"], f"{case.get('name')}: expected {case['expect']!r}, got {got!r}"
