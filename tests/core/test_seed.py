"""Seeds: canonical keys (RFC 3797 style), commit-reveal, entropy rules, sub-keys."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import (
    InvalidInputError,
    InvalidTypeError,
    LowEntropySeedError,
    PublicSource,
    Seed,
    commitment_for,
)
from randsample.core import canonical_key, entropy_digits, secret_weakness

RFC3797_SOURCES = [
    PublicSource("source 1", [9319]),
    PublicSource("source 2", [2, 5, 8, 10, 12]),
    PublicSource("source 3", [9, 18, 26, 34, 41, 45]),
]
SECRET = bytes.fromhex("5d1c9a0e7f3b2c4d8e6f0a1b2c3d4e5f")


def test_rfc3797_example_key():
    """The RFC 3797 section 6 sources give the key printed in the RFC."""
    assert "9319./2.5.8.10.12./9.18.26.34.41.45./" == canonical_key(RFC3797_SOURCES)


def test_seed_is_sha256_of_key():
    """Without a secret the seed is SHA-256 of the ASCII key, as the spec says."""
    seed = Seed.from_sources(RFC3797_SOURCES, allow_low_entropy=True)
    assert hashlib.sha256(seed.key.encode()).digest() == seed.value


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_key_stable_under_reordering_within_a_source(values, rnd):
    """Numbers within a source may be given in any order; the key is the same."""
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert PublicSource("s", values).canonical == PublicSource("s", shuffled).canonical


@given(st.lists(st.integers(0, 10**30), min_size=1, max_size=8))
def test_key_sorts_numerically_and_strips_leading_zeros(values):
    """Values are sorted as numbers (not as text) and written without leading zeros."""
    padded = ["000" + str(v) for v in values]
    expected = "".join(f"{v}." for v in sorted(values)) + "/"
    assert expected == PublicSource("s", padded).canonical


def test_source_order_matters():
    """Sources keep their announced order: swapping two sources changes the key."""
    a, b = PublicSource("a", [1]), PublicSource("b", [2])
    assert canonical_key([a, b]) != canonical_key([b, a])


@pytest.mark.parametrize(
    "value",
    ["12.5", "-3", "1e5", "", " 7", "７"],  # decimal point, sign, exponent, empty, space, fullwidth
)
def test_malformed_source_values_are_refused(value):
    """Anything but plain decimal digits is refused, naming the source and the value."""
    with pytest.raises(InvalidInputError, match=r"source 's'\.values\[0\]"):
        PublicSource("s", [value])


@pytest.mark.parametrize("value", [1.5, None, True, b"12"])
def test_source_values_of_wrong_type_are_refused(value):
    """Floats, None, booleans and bytes are type errors, never coerced."""
    with pytest.raises(InvalidTypeError):
        PublicSource("s", [value])


def test_empty_source_refused():
    """A source needs at least one value."""
    with pytest.raises(InvalidInputError, match="must not be empty"):
        PublicSource("s", [])


def test_low_entropy_sources_refused_unless_overridden():
    """One 6-of-49 lottery (11 digits) is too little; the override is recorded in the seed."""
    lottery = [PublicSource("lottery", [9, 18, 26, 34, 41, 45])]
    with pytest.raises(LowEntropySeedError, match="11 significant digits"):
        Seed.from_sources(lottery)
    assert Seed.from_sources(lottery, allow_low_entropy=True).low_entropy_allowed


@pytest.mark.parametrize(
    "hex_seed",
    ["2025", "00" * 32, "0102" * 16, "0000000000000000000000000000002a"],
)
def test_hand_typed_raw_seeds_refused(hex_seed):
    """Short seeds and seeds with few distinct bytes (typed, not drawn) are refused."""
    with pytest.raises(LowEntropySeedError):
        Seed.from_hex(hex_seed)


@pytest.mark.parametrize("text", ["abc", "zz" * 16, "", 12345])
def test_malformed_hex_refused(text):
    """Odd-length, non-hex, empty or non-string seeds are input errors."""
    with pytest.raises((InvalidInputError, InvalidTypeError)):
        Seed.from_hex(text)


def test_commit_reveal_round_trip():
    """The revealed secret must match the commitment published before the draw."""
    commitment = commitment_for(SECRET)
    seed = Seed.from_sources(
        RFC3797_SOURCES, secret=SECRET, commitment=commitment, allow_low_entropy=True
    )
    assert seed.key.endswith(SECRET.hex() + "/")
    assert commitment == seed.commitment
    wrong = commitment_for(bytes(reversed(SECRET)))
    with pytest.raises(InvalidInputError, match="does not match the revealed secret"):
        Seed.from_sources(RFC3797_SOURCES, secret=SECRET, commitment=wrong, allow_low_entropy=True)


def test_secret_changes_seed_and_sources_change_seed():
    """Neither part alone decides the seed: changing either changes it."""
    base = Seed.from_sources(RFC3797_SOURCES, secret=SECRET, allow_low_entropy=True)
    other_secret = Seed.from_sources(
        RFC3797_SOURCES, secret=bytes(reversed(SECRET)), allow_low_entropy=True
    )
    other_sources = Seed.from_sources(
        [*RFC3797_SOURCES[:2], PublicSource("source 3", [9, 18, 26, 34, 41, 46])],
        secret=SECRET,
        allow_low_entropy=True,
    )
    assert len({base.value, other_secret.value, other_sources.value}) == 3


def test_commitment_without_secret_refused():
    """A commitment with nothing to open it is an error, not ignored."""
    with pytest.raises(InvalidInputError, match="without the secret"):
        Seed.from_sources(RFC3797_SOURCES, commitment="00" * 32, allow_low_entropy=True)


def test_weak_secret_refused():
    """The secret must itself be 16+ random bytes."""
    with pytest.raises(LowEntropySeedError, match="secret"):
        Seed.from_sources(RFC3797_SOURCES, secret=b"\x00" * 16, allow_low_entropy=True)


def test_duplicate_source_names_refused():
    """Two sources with one name would make the published record ambiguous."""
    with pytest.raises(InvalidInputError, match="duplicate source name"):
        Seed.from_sources([PublicSource("x", range(100, 120)), PublicSource("x", range(200, 220))])


def test_subkeys_are_domain_separated():
    """Purposes get unrelated sub-keys; seeds differing in length-prefix boundaries too."""
    seed = Seed.from_bytes(bytes(range(16)))
    keys = {seed.subkey(p) for p in ("enterprises", "inspectors", "enterprises/2026-12")}
    assert 3 == len(keys)
    assert all(32 == len(k) for k in keys)


def test_seed_json_round_trip():
    """A seed rebuilt from its JSON form is identical, including provenance."""
    seed = Seed.from_sources(RFC3797_SOURCES, secret=SECRET, allow_low_entropy=True)
    assert seed == Seed.from_json(seed.to_json())
    raw = Seed.from_bytes(bytes(range(16)))
    assert raw == Seed.from_json(raw.to_json())


def test_a_seed_cannot_be_constructed_unchecked():
    """The constructor re-derives and checks everything; a one-byte seed fails at once."""
    from randsample.errors import LowEntropySeedError

    with pytest.raises(LowEntropySeedError, match="has 1 bytes"):
        Seed(b"\x01")
    good = Seed.from_sources([PublicSource("a", [123456789012]), PublicSource("b", [987654321098])])
    with pytest.raises(InvalidInputError, match="key: does not match"):
        Seed(good.value, sources=good.sources, key="1./")
    with pytest.raises(InvalidInputError, match="not SHA-256 of the key"):
        Seed(bytes(32), sources=good.sources, key=good.key)
    with pytest.raises(InvalidInputError, match="low_entropy_allowed"):
        Seed(bytes(range(16)), low_entropy_allowed=True)
    assert Seed(bytes(range(16))) == Seed.from_bytes(bytes(range(16)))


# -- secrets and entropy digits (spec section 15) ----------------------------------------------


def test_new_secret_comes_from_the_os_csprng(monkeypatch):
    """new_secret returns 32 fresh bytes from secrets.token_bytes, never a weak-looking one."""
    import secrets as stdlib_secrets

    first, second = Seed.new_secret(), Seed.new_secret()
    assert 32 == len(first) == len(second)
    assert first != second
    assert secret_weakness(first) is None
    good = SECRET + bytes(reversed(SECRET))
    answers = iter([b"a" * 32, bytes(range(32)), SECRET * 2, good])
    monkeypatch.setattr(stdlib_secrets, "token_bytes", lambda n: next(answers))
    assert good == Seed.new_secret()  # the three weak-looking draws were redrawn


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        (b"qinghe-2026-11-A", "text"),
        ("清河县二〇二六年十一月".encode(), "text"),
        (b"d2a94c1e8b7f3065a1c4e9b2d7f08e36", "text"),
        (bytes(range(16)), "arithmetic progression"),
        (bytes(range(0, 256, 7))[:20], "arithmetic progression"),
        (bytes(range(200, 208)) * 2, "repeats a block of 8"),
        (bytes(20), "distinct byte values"),
        (b"\x8f\x3c\x0e", "3 bytes"),
    ],
)
def test_weak_secrets_are_named(secret, reason):
    """Typed text, patterns and repeats are named by secret_weakness."""
    assert reason in str(secret_weakness(secret))


def test_a_weak_secret_is_refused_unless_overridden():
    """Seed.from_sources refuses a typed secret; allow_weak_secret accepts it; v1 rules
    (16 bytes, 8 distinct values) still admit no override."""
    sources = [PublicSource("a", [12345678901]), PublicSource("b", [98765432109])]
    with pytest.raises(LowEntropySeedError, match="looks chosen"):
        Seed.from_sources(sources, secret=b"qinghe-2026-11-A")
    seed = Seed.from_sources(sources, secret=b"qinghe-2026-11-A", allow_weak_secret=True)
    assert b"qinghe-2026-11-A" == seed.secret
    with pytest.raises(LowEntropySeedError, match="secret"):
        Seed.from_sources(sources, secret=b"\x00" * 16, allow_weak_secret=True)


def test_a_weak_secret_still_re_derives_from_a_record():
    """A record's seed with a weak secret re-derives (v1 is frozen); only the verdict says."""
    sources = [PublicSource("a", [12345678901]), PublicSource("b", [98765432109])]
    seed = Seed.from_sources(sources, secret=bytes(range(16)), allow_weak_secret=True)
    assert seed == Seed.from_json(seed.to_json())


@pytest.mark.parametrize(
    ("values", "digits"),
    [
        (["10000000000000000000"], 2),
        (["77777777777777777777"], 1),
        (["10000"], 2),
        (["1000"], 4),
        (["0", "0"], 0),
        (["12", "12"], 4),
        (["324567", "1187342"], 13),
        (["99990000"], 2),
    ],
)
def test_entropy_digits(values, digits):
    """Runs of four or more equal digits count as one; repeats count; zero counts nothing."""
    assert digits == entropy_digits([PublicSource("s", values)])


def test_repeated_digit_sources_need_the_override_and_keep_the_v1_flag():
    """A source padded to 20 digits with zeros is refused; the override does not set the v1
    flag (its value is fixed by spec 2.4), so v1 bytes do not change."""
    padded = [PublicSource("typed", ["10000000000000000000"])]
    with pytest.raises(LowEntropySeedError, match="entropy digits"):
        Seed.from_sources(padded)
    seed = Seed.from_sources(padded, allow_low_entropy=True)
    assert seed.low_entropy_allowed is False
    assert seed == Seed.from_json(seed.to_json())


def test_source_values_have_a_length_limit():
    """A value over 1,000 digits (or a huge int, or a long hex) is a typed error, never
    Python's int-to-string ValueError."""
    with pytest.raises(InvalidInputError, match="1000 digits"):
        PublicSource("x", ["1" * 1001])
    with pytest.raises(InvalidInputError, match="1000 digits"):
        PublicSource("x", [10**5000])
    with pytest.raises(InvalidInputError, match="333 bytes"):
        PublicSource.from_hex("x", "ab" * 400)
