import datetime as dt
import textwrap

import pytest

from gongjia.platform import parameters


def test_unknown_key_fails_loudly():
    with pytest.raises(parameters.UnknownParameter):
        parameters.value("no.such.parameter")


def test_values_by_date_and_region(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(
        textwrap.dedent("""
        wage.minimum:
          label: minimum wage
          unit: CNY/month
          reference: "Zhejiang notice (test)"
          values:
            - {since: 2021-08-01, value: 2010}
            - {since: 2024-01-01, value: 2280}
          regions:
            "330109": [{since: 2024-01-01, value: 2490}]
    """)
    )
    p = parameters.load_file(f)["wage.minimum"]
    assert p.at(dt.date(2023, 12, 31)) == 2010
    assert p.at(dt.date(2024, 1, 1)) == 2280
    assert p.at(dt.date(2024, 6, 1), region="330109001") == 2490  # a town inside the district
    assert p.at(dt.date(2023, 6, 1), region="330109001") == 2010  # override not yet in force
    assert p.at(dt.date(2024, 6, 1), region="330110") == 2280
    with pytest.raises(parameters.UnknownParameter):
        p.at(dt.date(2020, 1, 1))


def test_every_parameter_has_a_reference_and_a_unit():
    for key, p in parameters.registry().items():
        assert p.reference, key
        assert p.unit, key
        assert p.values, key


def test_a_parameters_text_reads_in_the_readers_language():
    from django.utils import translation

    from gongjia.platform.parameters import words

    with translation.override("zh-hans"):
        assert words("拥有两套及以上住房 / Owns two or more homes") == "拥有两套及以上住房"
        assert words("职工困难帮扶资金") == "职工困难帮扶资金"
    with translation.override("en"):
        assert words("拥有两套及以上住房 / Owns two or more homes") == "Owns two or more homes"
        assert words("调解期限（自收到之日起）/ Mediation") == "Mediation"
        assert words("fen per month; months / days") == "fen per month; months / days"
