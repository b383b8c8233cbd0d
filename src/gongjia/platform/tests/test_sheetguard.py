"""Hostile spreadsheets get a clear message; the process that reads them carries on."""

import os

import pytest

from gongjia.platform import sheetguard, tabular, testing_sheets
from gongjia.platform.sheetguard import Limits


def _read(path):
    return list(tabular.raw_rows(path))


def test_a_sheet_declaring_a_huge_range_is_refused_before_parsing(tmp_path):
    path = testing_sheets.sparse(tmp_path / "sparse.xlsx")
    assert path.stat().st_size < 4096
    with pytest.raises(tabular.FileProblem, match="XFD1048576") as e:
        _read(path)
    assert "16,384 列" in str(e.value) and "200 列" in str(e.value)


def test_a_far_cell_without_a_declared_range_ends_only_the_parsing_child(tmp_path):
    path = testing_sheets.sparse(tmp_path / "sparse.xlsx", declare=False)
    with pytest.raises(tabular.FileProblem, match="内存") as e:
        _read(path)
    assert "MB" in str(e.value)
    assert os.getpid()  # this process is alive and answers the next file
    ok = testing_sheets.write(tmp_path / "ok.xlsx", [testing_sheets._header_row()])
    assert _read(ok)[0][:2] == ["姓名", "身份证号码"]


def test_too_many_cells_are_counted_and_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(
        Limits, "current", classmethod(lambda cls: Limits(2**30, 5_000, 200, 2**32))
    )
    path = testing_sheets.whitespace_cells(tmp_path / "blank.xlsx", rows=1_000, columns=10)
    with pytest.raises(tabular.FileProblem, match="5,000"):
        _read(path)


def test_a_part_unpacking_past_the_limit_is_refused_from_the_zip_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(
        Limits, "current", classmethod(lambda cls: Limits(8 * 2**20, 10**7, 200, 2**32))
    )
    path = testing_sheets.whitespace_cell(tmp_path / "blank.xlsx", megabytes=12)
    assert path.stat().st_size < 100_000
    with pytest.raises(tabular.FileProblem, match="8 MB"):
        _read(path)


def test_a_parser_over_its_memory_limit_is_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(
        Limits, "current", classmethod(lambda cls: Limits(2**30, 10**8, 200, 64 * 2**20))
    )
    path = testing_sheets.whitespace_cell(tmp_path / "blank.xlsx", megabytes=200)
    with pytest.raises(tabular.FileProblem, match="64 MB"):
        _read(path)


def test_the_first_sheet_is_found_by_the_workbook_order(tmp_path):
    import zipfile

    path = testing_sheets.sparse(tmp_path / "s.xlsx")
    with zipfile.ZipFile(path) as z:
        assert sheetguard.first_sheet_part(z) == "xl/worksheets/sheet1.xml"


def test_the_cli_answers_a_hostile_file_with_a_message(tree, tmp_path):
    from django.core.management import CommandError, call_command

    path = testing_sheets.sparse(tmp_path / "sparse.xlsx", declare=False)
    with pytest.raises(CommandError, match="内存"):
        call_command("import_data", "members", str(path), "--dry-run")


def test_a_text_file_renamed_xlsx_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "会员.xlsx"
    path.write_text("姓名,身份证号码\n张三,110105194912310021\n", encoding="utf-8")
    with pytest.raises(tabular.FileProblem, match="不是 Excel 工作簿"):
        _read(path)
    csv = tmp_path / "会员.csv"
    csv.write_text("姓名,身份证号码\n张三,110105194912310021\n", encoding="utf-8")
    assert _read(csv)[1] == ["张三", "110105194912310021"]
