import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongjia.platform import validators as v

# --- resident ID numbers ------------------------------------------------------------------------


def test_known_valid_sample():
    parsed = v.parse_id_number("11010519491231002X")
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"
    assert not parsed.upgraded


def test_lowercase_x_full_width_digits_and_spaces_are_normalised():
    assert v.validate_id_number(" １１０１０５ 19491231002x ") == "11010519491231002X"


def test_wrong_check_character_is_refused_with_a_message():
    with pytest.raises(ValidationError) as e:
        v.validate_id_number("110105194912310021")
    assert e.value.code == "id_checksum"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1101051949123100", "id_length"),
        ("11010519491331002X", "id_birth"),
        ("1101051949123100AX", "id_shape"),
        ("", "id_empty"),
        ("11010530001231002X", "id_birth"),
    ],
)
def test_malformed_numbers(raw, code):
    with pytest.raises(ValidationError) as e:
        v.validate_id_number(raw)
    assert e.value.code == code


def test_fifteen_digit_numbers_are_upgraded():
    parsed = v.parse_id_number("110105491231002")
    assert parsed.upgraded
    assert parsed.value == "11010519491231002X"


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))


@given(region=st.integers(110000, 659999), birth=dates, seq=st.integers(0, 999))
def test_any_number_with_its_computed_check_character_is_valid(region, birth, seq):
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    parsed = v.parse_id_number(body + v.id_check_char(body))
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if seq % 2 else "F")


@given(birth=dates, seq=st.integers(0, 999), pos=st.integers(0, 16), delta=st.integers(1, 9))
def test_changing_one_digit_is_detected(birth, seq, pos, delta):
    body = f"330109{birth:%Y%m%d}{seq:03d}"
    good = body + v.id_check_char(body)
    bad = good[:pos] + str((int(good[pos]) + delta) % 10) + good[pos + 1 :]
    with pytest.raises(ValidationError):
        v.validate_id_number(bad)


# --- unified social credit codes ----------------------------------------------------------------


def test_known_valid_credit_code():
    assert v.validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_credit_code_normalised_and_checked():
    assert v.validate_credit_code(" 91350100-m000100y43 ") == "91350100M000100Y43"
    with pytest.raises(ValidationError) as e:
        v.validate_credit_code("91350100M000100Y44")
    assert e.value.code == "uscc_checksum"
    with pytest.raises(ValidationError) as e:
        v.validate_credit_code("91350100I000100Y43")
    assert e.value.code == "uscc_chars"


def test_union_code_not_starting_with_81_is_a_warning():
    parsed = v.parse_credit_code("91350100M000100Y43", union=True)
    assert any("81" in w for w in parsed.warnings)


@given(st.text(alphabet=v.USCC_ALPHABET, min_size=17, max_size=17))
def test_any_code_with_its_check_character_is_valid(body):
    assert v.validate_credit_code(body + v.uscc_check_char(body)) == body + v.uscc_check_char(body)


@given(
    st.text(alphabet=v.USCC_ALPHABET, min_size=17, max_size=17),
    st.integers(0, 16),
    st.integers(1, 30),
)
def test_changing_one_character_of_a_credit_code_is_detected(body, pos, delta):
    good = body + v.uscc_check_char(body)
    alphabet = v.USCC_ALPHABET
    swapped = alphabet[(alphabet.index(good[pos]) + delta) % 31]
    with pytest.raises(ValidationError):
        v.validate_credit_code(good[:pos] + swapped + good[pos + 1 :])


# --- mobile numbers -----------------------------------------------------------------------------


@given(st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
def test_mobile_numbers(second, rest):
    number = f"1{second}{rest:09d}"
    assert v.validate_mobile(number) == number
    assert v.validate_mobile(f"+86 {number[:3]}-{number[3:7]}-{number[7:]}") == number


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "abc"])
def test_bad_mobile_numbers(raw):
    with pytest.raises(ValidationError):
        v.validate_mobile(raw)
