"""Run the benchmarks: python -m tests.bench [name ...] (names without the bench_ prefix)."""

import importlib
import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))
    return [n for n in names if not selected or n in selected]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    failed = 0
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
            print(line, flush=True)
        print(f"bench {name} seconds={time.perf_counter() - started:.2f}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
