"""Shared helpers for the benchmark scripts: synthetic ids, interleaved timing, tables, JSON.

Not a benchmark itself. The scripts put ``benchmarks/`` first on ``sys.path`` when run as
``python benchmarks/<name>.py``, so ``import _common`` finds this file.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import randsample

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Real county-level division codes (Beijing Chaoyang, Shanghai Pudong, Shenzhen Nanshan, ...).
DIVISIONS = (
    "110105",
    "310115",
    "440305",
    "330106",
    "350203",
    "510107",
    "320583",
    "420111",
    "370212",
    "500112",
    "610113",
    "120116",
)
CITIES = ("北京", "上海", "深圳", "杭州", "厦门", "成都", "武汉", "西安", "南京", "青岛")
NAME_CHARS = (
    "华泰恒信达丰盛鑫源隆昌兴宏伟明瑞祥和安康新景荣发金银通博远创宇辰"
    "润泽嘉佳茂德顺利永益众合诚正天海星云峰林森阳光晨辉耀东方中南北广美"
)
TRADES = ("商贸", "科技", "餐饮", "建材", "物流", "药房", "食品", "电子")
SUFFIXES = ("有限公司", "商行", "")
CHUNK = 1 << 16  # generate in chunks so that numpy temporaries stay small (ru_maxrss)


def _to_str(codepoints: np.ndarray) -> list[str]:
    """(n, width) uint32 code points -> list of str; trailing NULs (padding) are dropped."""
    width = codepoints.shape[1]
    return np.ascontiguousarray(codepoints).view(f"<U{width}").ravel().tolist()


def _chunks(n: int) -> range:
    return range(0, n, CHUNK)


def uscc_like_ids(n: int, seed: int = 1) -> list[str]:
    """``n`` distinct 18-character codes shaped like unified social credit codes.

    Layout of GB 32100-2015: registration authority + entity type, a real 6-digit division
    code, a 9-character organization code (8 characters + its GB 11714 check) and the mod-31
    check character, so every code passes ``randsample.is_valid_uscc``. The 8 organization
    characters are a bijective scramble of the row number, which makes the codes distinct.
    """
    rng = np.random.default_rng(seed)
    alpha = np.frombuffer(USCC_ALPHABET.encode(), np.uint8).astype(np.uint32)
    org_value = np.array([int(c, 36) for c in USCC_ALPHABET])  # GB 11714 value: 0-9, A=10...
    x_index = USCC_ALPHABET.index("X")
    heads = np.array([[9, 1], [9, 1], [9, 1], [9, 2], [9, 3], [5, 1], [1, 1]])
    divisions = np.array([[int(c) for c in d] for d in DIVISIONS])
    weights = np.array([pow(3, i, 31) for i in range(17)])
    out: list[str] = []
    for start in _chunks(n):
        rows = np.arange(start, min(n, start + CHUNK), dtype=np.int64)
        scrambled = (rows * 387_420_489 + 12_345_678_901) % 31**8
        body = np.empty((rows.size, 17), dtype=np.int64)
        body[:, :2] = heads[rng.integers(0, len(heads), rows.size)]
        body[:, 2:8] = divisions[rng.integers(0, len(divisions), rows.size)]
        for k in range(8):  # organization code, most significant character first
            body[:, 15 - k] = scrambled % 31
            scrambled //= 31
        org_check = 11 - (org_value[body[:, 8:16]] @ np.array([3, 7, 9, 10, 5, 8, 4, 2])) % 11
        body[:, 16] = np.where(org_check == 10, x_index, org_check % 11)
        check = (31 - (body @ weights) % 31) % 31
        codes = np.concatenate([body, check[:, None]], axis=1)
        out.extend(_to_str(alpha[codes]))
    return out


def chinese_ids(n: int, seed: int = 2) -> list[str]:
    """``n`` distinct enterprise-name-like ids of 8-12 Chinese characters (about 10).

    City (2) + a 4-character trade name that is a bijective scramble of the row number in a
    base-64 alphabet (so names are distinct) + trade (2) + suffix (0, 2 or 4 characters).
    """
    pool = np.array([ord(c) for c in dict.fromkeys(NAME_CHARS)][:64], dtype=np.uint32)
    assert len(pool) == 64
    assert n <= 64**4, "the 4-character trade name has 64**4 values"
    cities = np.array([[ord(c) for c in s] for s in CITIES], dtype=np.uint32)
    trades = np.array([[ord(c) for c in s] for s in TRADES], dtype=np.uint32)
    suffixes = np.array([[ord(c) for c in s.ljust(4, "\0")] for s in SUFFIXES], dtype=np.uint32)
    rng = np.random.default_rng(seed)
    out: list[str] = []
    for start in _chunks(n):
        rows = np.arange(start, min(n, start + CHUNK), dtype=np.int64)
        scrambled = (rows * 5_380_717 + 987_654) % 64**4
        cps = np.zeros((rows.size, 12), dtype=np.uint32)
        cps[:, :2] = cities[rng.integers(0, len(cities), rows.size)]
        for k in range(4):
            cps[:, 5 - k] = pool[scrambled % 64]
            scrambled //= 64
        cps[:, 6:8] = trades[rng.integers(0, len(trades), rows.size)]
        cps[:, 8:12] = suffixes[rng.choice(len(suffixes), rows.size, p=[0.4, 0.2, 0.4])]
        out.extend(_to_str(cps))
    return out


def list_bytes(values: Sequence[object]) -> int:
    """Memory held by a list of (possibly shared) objects: the list plus each distinct object."""
    distinct = {id(v): v for v in values}
    return sys.getsizeof(values) + sum(sys.getsizeof(v) for v in distinct.values())


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` once after a full collection; return (seconds, result).

    The result is returned (not freed inside the timed region) so that deallocating a large
    output is not charged to the call.
    """
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def interleaved(candidates: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Time every candidate once per round, ``repeat`` rounds, in a fixed order."""
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, fn in candidates.items():
            seconds, result = timed(fn)
            del result
            times[name].append(seconds)
    return times


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a plain left/right-aligned table (text left, numbers right)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            print("  ".join("-" * w for w in widths))


def summary(times: list[float]) -> dict[str, float]:
    """Best and median of a list of timings."""
    return {"best": min(times), "median": statistics.median(times)}


def git_commit() -> str | None:
    """The checked-out commit of the repository holding randsample (read-only), if any."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(randsample.__file__).parent,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def environment() -> dict[str, Any]:
    """Versions and machine facts worth keeping next to the numbers."""
    return {
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "numpy": np.__version__,
        "randsample": randsample.__version__,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
    }


def write_json(path: str | None, payload: dict[str, Any]) -> None:
    """Write ``payload`` (plus the environment) as indented JSON if a path was given."""
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(
                {"environment": environment(), **payload}, handle, indent=2, ensure_ascii=False
            )
            handle.write("\n")
        print(f"wrote {path}")
