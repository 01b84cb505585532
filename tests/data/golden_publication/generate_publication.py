"""Write the golden vectors of spec sections 12-13 (run once for a NEW format version only).

The vectors are built by ``tests/results/golden.py``; ``tests/results/test_golden_publication.py``
rebuilds them and compares byte for byte. An existing file is never overwritten without
``--force``: if a golden test fails, fix the code, not the vectors.

    python tests/data/golden_publication/generate_publication.py [--force]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.results.golden import build, population

from randsample.files import write_population_csv

HERE = Path(__file__).parent


def main(force: bool) -> None:
    files = {"population.csv": None, **build()}
    for name, text in files.items():
        path = HERE / name
        if path.exists() and not force:
            print(f"kept {path} (exists; --force to overwrite)")
            continue
        if text is None:
            write_population_csv(population(), path)
        else:
            path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main("--force" in sys.argv[1:])
