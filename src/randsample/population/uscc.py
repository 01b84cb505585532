"""Validation of China's Unified Social Credit Code (统一社会信用代码, USCC), GB 32100-2015.

A USCC has 18 characters. Positions 9-17 hold the organization code of GB 11714-1997, whose
9th character is its own check character; position 18 is a mod-31 check over positions 1-17.
Codes are checked, never repaired: lowercase letters, surrounding whitespace, a wrong length or
a failed check are errors. ``lenient=True`` skips both check characters (legacy pilot codes,
e.g. Xiamen's before 2016, fail them but are real) but still requires 18 alphabet characters.
"""

from __future__ import annotations

from typing import Final

from ..errors import InvalidIdentifierError, InvalidTypeError

__all__ = [
    "USCC_ALPHABET",
    "is_valid_uscc",
    "organization_code_check_character",
    "uscc_check_character",
    "validate_uscc",
]

#: The 31 USCC characters; a character's value is its index (I, O, Z, S and V are unused).
USCC_ALPHABET: Final[str] = "0123456789ABCDEFGHJKLMNPQRTUWXY"

_USCC_VALUES: Final[dict[str, int]] = {char: i for i, char in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS: Final[tuple[int, ...]] = tuple(pow(3, i, 31) for i in range(17))
_ORG_CHARS: Final[str] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # value: 0-9, A=10 ... Z=35
_ORG_WEIGHTS: Final[tuple[int, ...]] = (3, 7, 9, 10, 5, 8, 4, 2)


def _check_chars(value: object, length: int, allowed: str, field: str, allowed_name: str) -> str:
    """Return ``value`` if it is a str of ``length`` characters from ``allowed``, else raise."""
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a str")
    if value != value.strip():
        raise InvalidIdentifierError(field, value, "must not have leading or trailing whitespace")
    if len(value) != length:
        raise InvalidIdentifierError(field, value, f"must be {length} characters, has {len(value)}")
    for position, char in enumerate(value, start=1):
        if char not in allowed:
            hint = " (letters must be uppercase)" if char.upper() in allowed else ""
            problem = f"position {position} is {char!r}, which is not in {allowed_name}{hint}"
            raise InvalidIdentifierError(field, value, problem)
    return value


def uscc_check_character(first17: str) -> str:
    """Compute the USCC check character (position 18) of the first 17 characters.

    With value(c) the index of c in :data:`USCC_ALPHABET` and weights ``3**i mod 31``
    (i = 0..16), ``S = sum(value(c_i) * w_i)`` and the check character is
    ``USCC_ALPHABET[(31 - S mod 31) mod 31]``.

    Parameters
    ----------
    first17 : str
        The first 17 characters of a code.

    Returns
    -------
    str
        The check character, from :data:`USCC_ALPHABET`.

    Raises
    ------
    InvalidTypeError
        If ``first17`` is not a str.
    InvalidIdentifierError
        If it is not 17 characters from :data:`USCC_ALPHABET`.

    Examples
    --------
    >>> uscc_check_character("91350100M000100Y4")
    '3'
    >>> uscc_check_character("92340604MA2PENA30")  # S = 2263 = 73 * 31, so the check is '0'
    '0'
    """
    _check_chars(first17, 17, USCC_ALPHABET, "first17", f"the USCC alphabet {USCC_ALPHABET}")
    total = sum(_USCC_VALUES[char] * w for char, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organization_code_check_character(first8: str) -> str:
    """Compute the GB 11714 organization code check character (its 9th character).

    Digits are worth 0-9 and letters A=10 ... Z=35 (not their USCC values); with weights
    3, 7, 9, 10, 5, 8, 4, 2, ``C = 11 - (sum(value * weight) mod 11)``, written ``'X'`` for
    10 and ``'0'`` for 11.

    Parameters
    ----------
    first8 : str
        The organization code without its check character (USCC positions 9-16).

    Returns
    -------
    str
        ``'0'`` to ``'9'`` or ``'X'``.

    Raises
    ------
    InvalidTypeError
        If ``first8`` is not a str.
    InvalidIdentifierError
        If it is not 8 digits or uppercase letters A-Z.

    Examples
    --------
    >>> organization_code_check_character("M000100Y")  # 22*3 + 1*5 + 34*2 = 139, 139 % 11 = 7
    '4'
    >>> organization_code_check_character("71526726")  # sum 199, 199 % 11 = 1, C = 10
    'X'
    """
    _check_chars(first8, 8, _ORG_CHARS, "first8", "the digits and uppercase letters A-Z")
    total = sum(int(char, 36) * w for char, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_uscc(code: object, *, lenient: bool = False, field: str = "id") -> str:
    """Return ``code`` unchanged if it is a valid Unified Social Credit Code, else raise.

    Checks the type, surrounding whitespace, length 18, the alphabet (the only rule for
    positions 1-8), then unless ``lenient`` the check characters at positions 17 and 18.

    Parameters
    ----------
    code : object
        The value to check.
    lenient : bool, default False
        Accept codes that fail either check character (legacy pilot codes).
    field : str, default "id"
        Name of the value in error messages.

    Returns
    -------
    str
        ``code`` itself.

    Raises
    ------
    InvalidTypeError
        If ``code`` is not a str.
    InvalidIdentifierError
        If it is malformed or a check fails; the message names the position and expected value.

    Examples
    --------
    >>> validate_uscc("91350100M000100Y43")
    '91350100M000100Y43'
    >>> validate_uscc("91350100M000100Y4X", lenient=True)
    '91350100M000100Y4X'
    >>> try:
    ...     validate_uscc("91350100M000100Y4X")
    ... except InvalidIdentifierError as err:
    ...     print(err.problem)
    position 18 (check character) is 'X', expected '3'
    """
    code = _check_chars(code, 18, USCC_ALPHABET, field, f"the USCC alphabet {USCC_ALPHABET}")
    if lenient:
        return code
    org_check = organization_code_check_character(code[8:16])  # USCC chars: cannot raise
    if code[16] != org_check:
        problem = f"position 17 (organization code check character, GB 11714) is {code[16]!r}"
        raise InvalidIdentifierError(field, code, f"{problem}, expected {org_check!r}")
    check = uscc_check_character(code[:17])
    if code[17] != check:
        problem = f"position 18 (check character) is {code[17]!r}, expected {check!r}"
        raise InvalidIdentifierError(field, code, problem)
    return code


def is_valid_uscc(code: object, *, lenient: bool = False) -> bool:
    """Tell whether :func:`validate_uscc` accepts ``code``.

    Parameters
    ----------
    code : object
        The value to check; a non-str gives ``False``.
    lenient : bool, default False
        As for :func:`validate_uscc`.

    Returns
    -------
    bool
        ``True`` if ``code`` is valid.

    Examples
    --------
    >>> is_valid_uscc("91350100M000100Y43"), is_valid_uscc("91350100M000100Y4X")
    (True, False)
    """
    try:
        validate_uscc(code, lenient=lenient)
    except (InvalidIdentifierError, InvalidTypeError):
        return False
    return True
