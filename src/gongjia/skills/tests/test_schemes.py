"""A marking scheme as a spreadsheet: exported and imported again into another event's draft as
the same scheme; a file with wrong rows writes nothing; only a draft is imported into."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gongjia.platform import sheetimport
from gongjia.platform.scope import SYSTEM
from gongjia.skills import marking, schemes
from gongjia.skills.models import Aspect, Scheme
from gongjia.skills.testing import make_event, make_scheme

HEAD = [c.header for c in schemes.columns()]


def rows_of(content: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def write(path, rows):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for i, r in enumerate(rows):
        ws.write_row(i, 0, r)
    wb.close()
    return path


def shape(scheme):
    return sorted(
        (
            a.section.number,
            a.section.weight,
            a.sub.criterion.letter,
            a.sub.code,
            a.order,
            a.kind,
            a.description,
            a.calculation,
            a.params,
            a.aggregation,
            a.max_mark,
        )
        for a in Aspect.objects.filter(sub__criterion__scheme=scheme).select_related(
            "section", "sub__criterion"
        )
    )


def test_the_parameters_read_as_people_write_them_and_back():
    assert schemes.parse_params("M", marking.COMPLETED, "4") == {"n": 4}
    choice = schemes.parse_params("M", marking.CHOICE, "全部正确:0；一处错误：33.3")
    assert choice == {
        "choices": [
            {"label": "全部正确", "deduction": 0.0},
            {"label": "一处错误", "deduction": 33.3},
        ]
    }
    ranged = schemes.parse_params("M", marking.RANGED, "0~0.02:0;0.02～0.05:50")
    assert ranged["ranges"][1] == {"low": 0.02, "high": 0.05, "deduction": 50.0}
    aspect = Aspect(kind="M", calculation=marking.RANGED, params=ranged)
    assert schemes.format_params(aspect) == "0~0.02:0;0.02~0.05:50"
    for calculation, text in ((marking.CHOICE, "全部正确"), (marking.RANGED, "0.05~0:10")):
        with pytest.raises(ValueError, match=text):
            schemes.parse_params("M", calculation, text)
    with pytest.raises(ValueError):
        schemes.parse_params("J", "", "差|中|好")  # four descriptors, of 0 to 3


def test_an_exported_scheme_imports_into_another_events_draft_as_the_same(tree, tmp_path):
    source = make_scheme(tree, tree.town_a)
    a = Aspect.objects.get(sub__criterion__scheme=source, order=1)
    a.params = {"descriptors": ["未达到", "基本达到", "达到", "超出"]}
    a.aggregation = marking.TWO_CLOSEST
    a.save()
    content = schemes.export(source)
    rows = rows_of(content)
    assert rows[0] == HEAD and len(rows) == 4
    target_event = make_event(tree, tree.town_a)
    out = sheetimport.run(
        sheetimport.get(schemes.SchemeImport.key),
        write(tmp_path / "s.xlsx", rows),
        user=SYSTEM,
        params={"event": target_event.pk},
        error_path=tmp_path / "s-错误.xlsx",
    )
    assert (out.written, out.refused) == (3, 0), out.errors
    target = Scheme.objects.get(event=target_event)
    assert target.status == Scheme.Status.DRAFT
    assert shape(target) == shape(source)

    # Imported again with a corrected maximum: updated in place, not repeated.
    rows[2][HEAD.index("满分")] = "59.2"
    rows[3][HEAD.index("满分")] = "40.05"
    out = sheetimport.run(
        sheetimport.get(schemes.SchemeImport.key),
        write(tmp_path / "s2.xlsx", rows),
        user=SYSTEM,
        params={"event": target_event.pk},
        error_path=tmp_path / "s2-错误.xlsx",
    )
    assert out.written == 3
    maxima = sorted(Aspect.objects.filter(sub__criterion__scheme=target).values_list("max_mark"))
    assert maxima == [(Decimal("0.75"),), (Decimal("40.05"),), (Decimal("59.20"),)]


def test_a_scheme_file_with_wrong_rows_writes_nothing(tree, tmp_path):
    event = make_event(tree, tree.town_a)
    good = [
        "1",
        "工作组织",
        "60",
        "A",
        "模块A",
        "A1",
        "第一天",
        "1",
        "1",
        "评价",
        "整洁",
        "",
        "",
        "",
        "",
        "0.75",
    ]
    rows = [
        HEAD,
        good,
        [
            "1",
            "工作组织",
            "50",
            "A",
            "模块A",
            "A1",
            "第一天",
            "1",
            "2",
            "测量",
            "尺寸",
            "",
            "",
            "",
            "",
            "0.07",
        ],
        [
            "2",
            "质量",
            "40",
            "A",
            "模块A",
            "A1",
            "第一天",
            "1",
            "3",
            "测量",
            "选项",
            "",
            "选项扣分",
            "全对",
            "",
            "5",
        ],
    ]
    out = sheetimport.run(
        sheetimport.get(schemes.SchemeImport.key),
        write(tmp_path / "bad.xlsx", rows),
        user=SYSTEM,
        params={"event": event.pk},
        error_path=tmp_path / "bad-错误.xlsx",
    )
    assert out.refused == 2 and not Scheme.objects.filter(event=event).exists()
    (n1, first), (n2, second) = out.errors
    assert (n1, n2) == (3, 4)
    assert "「分项权重」" in first and "「满分」" in first and "「计算方式」" in first
    assert "「参数」" in second and "全对" in second


def test_only_a_draft_is_imported_into_and_the_pages_offer_what_applies(
    tree, make_user, client, tmp_path
):
    scheme = make_scheme(tree, tree.town_a)
    Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.APPROVED)
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get(reverse("admin:skills_event_change", args=[scheme.event_id])).content
    page = page.decode()
    assert reverse("admin:skills_scheme_export", args=[scheme.pk]) in page
    assert reverse("admin:skills_event_import_scheme", args=[scheme.event_id]) not in page
    exported = client.get(reverse("admin:skills_scheme_export", args=[scheme.pk]))
    assert exported.status_code == 200 and rows_of(exported.content)[0] == HEAD
    with pytest.raises(sheetimport.FileProblem, match="草稿|draft"):
        sheetimport.get(schemes.SchemeImport.key).context(SYSTEM, {"event": scheme.event_id})
