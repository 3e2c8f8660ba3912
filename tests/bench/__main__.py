"""Run the benchmarks: python -m tests.bench [name ...] (names without the bench_ prefix).

Exits non-zero when a benchmark fails or when a line misses its target: a line that reads
`... ratio=R ... target=T ...` misses when R > T (ratio = product cost / floor cost).
"""

import importlib
import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))
    return [n for n in names if not selected or n in selected]


def misses_target(line: str) -> bool:
    figures = dict(token.split("=", 1) for token in line.split() if "=" in token)
    if "ratio" not in figures or "target" not in figures:
        return False
    return float(figures["ratio"]) > float(figures["target"])


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    failed = missed = 0
    for name in discover(argv):
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"tests.bench.bench_{name}")
            lines = module.run()
        except Exception as exc:  # one broken benchmark must not hide the others
            failed += 1
            print(f"bench {name} error={type(exc).__name__}: {exc}", flush=True)
            continue
        for line in lines:
            if misses_target(line):
                missed += 1
                line += " MISSED"
            print(line, flush=True)
        print(f"bench {name} seconds={time.perf_counter() - started:.2f}", flush=True)
    if missed:
        print(f"bench missed={missed} (lines marked MISSED: ratio above target)", flush=True)
    return 1 if failed or missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
