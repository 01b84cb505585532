"""Tests of randsample.population.uscc: Unified Social Credit Code (GB 32100-2015) validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.errors import InvalidIdentifierError, InvalidTypeError
from randsample.population.uscc import (
    USCC_ALPHABET,
    is_valid_uscc,
    organization_code_check_character,
    uscc_check_character,
    validate_uscc,
)

USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

# Hand-computed examples. USCC values are indices in USCC_ALPHABET (so M=21, Y=30: I is skipped);
# organization-code values are A=10 ... Z=35 (so M=22, Y=34). The two checks use different values.
#
# 91350100M000100Y43 (the example in randsample.core):
#   USCC: 9*1 + 1*3 + 3*9 + 5*27 + 1*26 + 21*20 (M) + 1*8 + 30*30 (Y) + 4*28 = 1640
#         1640 mod 31 = 28, (31 - 28) mod 31 = 3 -> '3'
#   org M000100Y: 22*3 + 1*5 + 34*2 = 139, 139 mod 11 = 7, 11 - 7 = 4 -> '4'
# 92340604MA2PENA300 (check character '0' and organization check '0'):
#   USCC: 9*1 + 2*3 + 3*9 + 4*27 + 6*26 + 4*17 + 21*20 + 10*29 + 2*25 + 23*13 + 14*8 + 22*24
#         + 10*10 + 3*30 = 2263 = 73*31, mod 31 = 0, (31 - 0) mod 31 = 0 -> '0'
#         (without the final mod 31 the index would be 31: out of range)
#   org MA2PENA3: 22*3 + 10*7 + 2*9 + 25*10 + 14*5 + 23*8 + 10*4 + 3*2 = 704 = 64*11,
#         11 - 0 = 11 -> '0'. With USCC values instead (M=21, P=23, E=14, N=22) the sum would
#         be 673 and the check '9': this code catches that mistake.
# 9144030071526726XG (organization check 'X'):
#   org 71526726: 7*3 + 1*7 + 5*9 + 2*10 + 6*5 + 7*8 + 2*4 + 6*2 = 199, 199 mod 11 = 1,
#         11 - 1 = 10 -> 'X'
#   USCC: 9*1 + 1*3 + 4*9 + 4*27 + 3*26 + 7*20 + 1*29 + 5*25 + 2*13 + 6*8 + 7*24 + 2*10 + 6*30
#         + 29*28 (X) = 1782, 1782 mod 31 = 15, 31 - 15 = 16 -> 'G'
# 91620105L015101280 (check character '0', letter in the organization code):
#   USCC: 9*1 + 1*3 + 6*9 + 2*27 + 1*26 + 5*17 + 20*20 (L) + 1*25 + 5*13 + 1*8 + 1*10 + 2*30
#         + 8*28 = 1023 = 33*31 -> '0'
#   org L0151012: 21*3 + 1*9 + 5*10 + 1*5 + 1*4 + 2*2 = 135, 135 mod 11 = 3, 11 - 3 = 8 -> '8'
HAND_COMPUTED = {
    "91350100M000100Y43": (1640, 139),
    "92340604MA2PENA300": (2263, 704),
    "9144030071526726XG": (1782, 199),
    "91620105L015101280": (1023, 135),
}

# Real codes published online, taken from the python-stdnum test suite (tests/test_cn_uscc.doctest);
# all 383 codes of that list pass both the GB 11714 and the GB 32100 checks.
REAL_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "121200004013590816",  # registration authority 1 (机构编制), entity type 2
    "91310115MA1K3BTP2B",
    "9115220107837757XE",  # organization check 'X'
    "91340603MA2UJXXCXF",  # organization check 'X'
    "9144060573144633XL",  # organization check 'X'
    "91620105L015101280",  # check character '0'
    "92340604MA2PENA300",  # check character '0', organization check '0'
    "92340603MA2UK1TD00",  # check character '0', organization check '0'
    "92340603MA2PBMD304",  # organization check '0'
    "92340621MA2PBKRXXG",
]


def make_code(prefix16: str) -> str:
    """Complete 16 USCC characters into a valid code by computing both check characters."""
    first17 = prefix16 + organization_code_check_character(prefix16[8:16])
    return first17 + uscc_check_character(first17)


def uscc_sum(first17: str) -> int:
    """The weighted sum S of GB 32100-2015, computed independently of the module."""
    return sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))


def org_sum(first8: str) -> int:
    """The weighted sum of GB 11714-1997, computed independently of the module."""
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    return sum(int(c, 36) * w for c, w in zip(first8, weights, strict=True))


def test_alphabet() -> None:
    """The alphabet has 31 characters and leaves out I, O, Z, S and V."""
    expected = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert expected == USCC_ALPHABET
    expected_size = 31
    assert expected_size == len(set(USCC_ALPHABET))
    no_chars: set[str] = set()
    assert no_chars == set("IOZSV") & set(USCC_ALPHABET)


@pytest.mark.parametrize("position", range(17))
def test_weights_are_powers_of_three(position: int) -> None:
    """A single 1 at position i gives S = 3**i mod 31, so the check is (31 - w_i) mod 31."""
    first17 = "0" * position + "1" + "0" * (16 - position)
    assert pow(3, position, 31) == USCC_WEIGHTS[position]
    assert USCC_ALPHABET[31 - USCC_WEIGHTS[position]] == uscc_check_character(first17)


@pytest.mark.parametrize(("code", "sums"), HAND_COMPUTED.items())
def test_hand_computed_examples(code: str, sums: tuple[int, int]) -> None:
    """The worked examples in the comments above match the module."""
    assert sums == (uscc_sum(code[:17]), org_sum(code[8:16]))
    assert code[17] == uscc_check_character(code[:17])
    assert code[16] == organization_code_check_character(code[8:16])
    assert code == validate_uscc(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    """Published codes pass strict validation and are returned unchanged."""
    assert code is validate_uscc(code)
    assert is_valid_uscc(code)


def test_check_character_zero_needs_final_mod() -> None:
    """S ≡ 0 (mod 31) gives '0', not an out-of-range index 31; all zeros is structurally valid.

    000000000000000000: org sum 0 -> 11 - 0 = 11 -> '0'; USCC sum 0 -> (31 - 0) mod 31 = 0.
    """
    zero = "0"
    assert zero == uscc_check_character("92340604MA2PENA30")  # S = 2263 = 73*31
    assert zero == uscc_check_character("91620105L01510128")  # S = 1023 = 33*31
    assert zero == uscc_check_character(zero * 17)
    assert zero == organization_code_check_character(zero * 8)
    all_zeros = "000000000000000000"
    assert all_zeros == validate_uscc(all_zeros)


@pytest.mark.parametrize(
    ("first8", "expected"),
    [
        ("00000006", "X"),  # 6*2 = 12, 12 mod 11 = 1, C = 10 -> 'X'
        ("71526726", "X"),  # sum 199, 199 mod 11 = 1, C = 10 -> 'X'
        ("MA2PENA3", "0"),  # sum 704 = 64*11, C = 11 -> '0'
        ("00000000", "0"),  # sum 0, C = 11 -> '0'
        ("Z0000000", "5"),  # Z = 35 (not a USCC character): 35*3 = 105, 105 mod 11 = 6, C = 5
        ("M000100Y", "4"),  # 22*3 + 1*5 + 34*2 = 139, 139 mod 11 = 7, C = 4
    ],
)
def test_organization_check_character(first8: str, expected: str) -> None:
    """C = 10 is written 'X' and C = 11 is written '0'; letters count A=10 ... Z=35."""
    assert expected == organization_code_check_character(first8)
    if set(first8) <= set(USCC_ALPHABET):  # 'Z' cannot appear in a USCC
        code = make_code("91000000" + first8)
        assert expected == code[16]
        assert code == validate_uscc(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_position_18_substitution(code: str) -> None:
    """Each of the 30 wrong check characters is rejected (strict) but accepted (lenient)."""
    for char in USCC_ALPHABET.replace(code[17], ""):
        wrong = code[:17] + char
        with pytest.raises(InvalidIdentifierError) as excinfo:
            validate_uscc(wrong)
        expected = (
            f"id: position 18 (check character) is {char!r}, expected {code[17]!r}, got {wrong!r}"
        )
        assert expected == str(excinfo.value)
        assert wrong == validate_uscc(wrong, lenient=True)
        assert not is_valid_uscc(wrong)
        assert is_valid_uscc(wrong, lenient=True)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_position_17_substitution(code: str) -> None:
    """A wrong organization check character is reported at position 17, accepted leniently."""
    for char in USCC_ALPHABET.replace(code[16], ""):
        wrong = code[:16] + char + code[17]
        with pytest.raises(InvalidIdentifierError) as excinfo:
            validate_uscc(wrong)
        expected = (
            f"position 17 (organization code check character, GB 11714) is {char!r}, "
            f"expected {code[16]!r}"
        )
        assert expected == excinfo.value.problem
        assert wrong == validate_uscc(wrong, lenient=True)


def test_message_examples() -> None:
    """Messages name the field, the position or check, the expected value and the input."""
    cases = {
        "91350100M000100Y4X": (
            "id: position 18 (check character) is 'X', expected '3', got '91350100M000100Y4X'"
        ),
        "9135I100M000100Y43": (
            "id: position 5 is 'I', which is not in the USCC alphabet "
            "0123456789ABCDEFGHJKLMNPQRTUWXY, got '9135I100M000100Y43'"
        ),
        "91350100M000100Y4": "id: must be 18 characters, has 17, got '91350100M000100Y4'",
        "91350100m000100Y43": (
            "id: position 9 is 'm', which is not in the USCC alphabet "
            "0123456789ABCDEFGHJKLMNPQRTUWXY (letters must be uppercase), got '91350100m000100Y43'"
        ),
        " 91350100M000100Y43": (
            "id: must not have leading or trailing whitespace, got ' 91350100M000100Y43'"
        ),
    }
    for code, expected in cases.items():
        with pytest.raises(InvalidIdentifierError) as excinfo:
            validate_uscc(code)
        assert expected == str(excinfo.value)


def test_field_name_in_message() -> None:
    """The field argument names the value in the message."""
    with pytest.raises(InvalidIdentifierError) as excinfo:
        validate_uscc("91350100M000100Y4X", field="ids[3]")
    expected = "ids[3]"
    assert expected == excinfo.value.field
    assert str(excinfo.value).startswith("ids[3]: position 18 ")


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19 characters
        "",
        "91350100m000100Y43",  # lowercase is not upper-cased
        "91350100M000100Y43 ",  # whitespace is not stripped
        "91350100M000100Y43\n",
        "9135010OM000100Y43",  # letter O
        "91350100M000100S43",  # letter S
        "91350100M000-00Y43",
        "９1350100M000100Y43",  # full-width digit
    ],
)
@pytest.mark.parametrize("lenient", [False, True])
def test_malformed_rejected_even_when_lenient(code: str, lenient: bool) -> None:
    """Lenient mode skips the checks but still requires 18 characters from the alphabet."""
    with pytest.raises(InvalidIdentifierError):
        validate_uscc(code, lenient=lenient)
    assert not is_valid_uscc(code, lenient=lenient)


@pytest.mark.parametrize("value", [None, 91350100, b"91350100M000100Y43", ["9"] * 18])
def test_non_str_is_type_error(value: object) -> None:
    """A non-str is an InvalidTypeError (a TypeError), and simply invalid for is_valid_uscc."""
    for lenient in (False, True):
        with pytest.raises(InvalidTypeError) as excinfo:
            validate_uscc(value, lenient=lenient)
        assert isinstance(excinfo.value, TypeError)
        assert not is_valid_uscc(value, lenient=lenient)
    with pytest.raises(InvalidTypeError):
        uscc_check_character(value)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        organization_code_check_character(value)  # type: ignore[arg-type]


def test_check_functions_validate_input() -> None:
    """The check-character functions reject a wrong length or a bad character, naming it."""
    with pytest.raises(InvalidIdentifierError) as excinfo:
        uscc_check_character("91350100M000100Y")
    expected = "must be 17 characters, has 16"
    assert expected == excinfo.value.problem
    with pytest.raises(InvalidIdentifierError) as excinfo:
        uscc_check_character("91350100M000100YI")
    assert excinfo.value.problem.startswith("position 17 is 'I', which is not in the USCC alphabet")
    with pytest.raises(InvalidIdentifierError) as excinfo:
        organization_code_check_character("M000100")
    expected = "must be 8 characters, has 7"
    assert expected == excinfo.value.problem
    with pytest.raises(InvalidIdentifierError) as excinfo:
        organization_code_check_character("m000100Y")
    assert excinfo.value.problem.startswith("position 1 is 'm'")


@pytest.mark.parametrize("head", ["00", "19", "A1", "NY", "Y9", "91", "5A"])
def test_first_two_positions_not_restricted(head: str) -> None:
    """Positions 1-2 (authority, entity type) and 3-8 only need to be in the alphabet."""
    code = make_code(head + "ABCDEF" + "MA2PENA3")
    assert code == validate_uscc(code)


# Why the mod-31 check detects every single substitution: replacing the character at
# position i (0-based, i < 17) of value a by one of value b != a changes S by (b - a) * w_i.
# w_i = 3**i mod 31 is not 0 (31 is prime and does not divide 3**i), and 0 < |b - a| <= 30,
# so 31 divides neither factor and, 31 being prime, not their product: S mod 31 changes, and
# since x -> (31 - x) mod 31 is a bijection on 0..30 the computed check character changes while
# position 18 does not. Replacing position 18 itself leaves the computed check unchanged but
# not the character. Either way position 18 no longer matches.
@st.composite
def code_and_substitution(draw: st.DrawFn) -> tuple[str, int, str]:
    """A valid code (positions 9-17 a correct organization code), a position and a new char."""
    prefix = draw(st.text(alphabet=USCC_ALPHABET, min_size=16, max_size=16))
    code = make_code(prefix)
    index = draw(st.integers(min_value=0, max_value=17))
    char = draw(st.sampled_from(USCC_ALPHABET.replace(code[index], "")))
    return code, index, char


@given(code_and_substitution())
def test_single_substitution_always_detected(case: tuple[str, int, str]) -> None:
    """Valid codes validate; any one substituted character makes strict validation fail."""
    code, index, char = case
    assert code == validate_uscc(code)
    mutated = code[:index] + char + code[index + 1 :]
    # The position-18 check alone detects it (the argument above) ...
    assert mutated[17] != uscc_check_character(mutated[:17])
    # ... so strict validation fails, whichever check reports it first; lenient accepts.
    assert not is_valid_uscc(mutated)
    with pytest.raises(InvalidIdentifierError):
        validate_uscc(mutated)
    assert mutated == validate_uscc(mutated, lenient=True)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_exactly_one_check_character_fits(first17: str) -> None:
    """The computed check makes the full weighted sum (position 18 weight 1) ≡ 0 mod 31."""
    check = uscc_check_character(first17)
    expected = 0
    assert expected == (uscc_sum(first17) + USCC_ALPHABET.index(check)) % 31
