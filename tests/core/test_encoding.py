"""Canonical JSON: the digest hashed a slice at a time equals the digest of the whole."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.core import _encoding, canonical_digest, canonical_json, canonical_text

# One-, two-, three- and four-byte UTF-8 characters; keys are ASCII (spec 6.1).
TEXT = st.text("aZ09 -é统一检查😀", max_size=20)
KEYS = st.text("abcxyz_", min_size=1, max_size=6)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@given(JSON, st.integers(1, 7))
def test_the_digest_hashed_in_slices_is_the_digest_of_the_whole(value, chunk):
    """However small the slices (multi-byte characters split across none of them), the
    digest is SHA-256 of the canonical UTF-8 bytes, and the text is those bytes decoded."""
    expected = hashlib.sha256(canonical_json(value)).hexdigest()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_encoding, "_DIGEST_CHUNK", chunk)
        assert expected == canonical_digest(value)
    assert canonical_json(value).decode("utf-8") == canonical_text(value)
