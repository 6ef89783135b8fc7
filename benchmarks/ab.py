"""Compare two versions of perfxl on this machine, alternating their runs.

The machine's speed drifts by tens of percent from one minute to the next,
so two versions measured one after the other can differ by more than the
change being measured. Here each round runs both, in turn (A B, then B A),
each in a fresh process that imports perfxl from its own source tree:

    git worktree add /tmp/old <commit>
    python benchmarks/ab.py /tmp/old . --copies -n 4      # CPU per completed copy
    python benchmarks/ab.py /tmp/old . --run -n 4         # a whole perfxl run, wall and CPU
    python benchmarks/ab.py /tmp/old . --run --libreoffice -n 2

``--copies``: the first 300 .xlsx/.xlsm files of the 1,000-form corpus are
reviewed, checked as a batch (their problems are what the copies mark), then
copied one after another with the copy pool's own ``complete_file``; the
CPU of making and pickling the plan is added. ``--run``: ``perfxl run`` on the
whole corpus with ``--jobs 2`` (``PERFXL_LIBREOFFICE=0`` unless
``--libreoffice``). The corpus is the one ``bench.py`` generates.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus" / "n1000-s1"

COPIES = r"""
import pickle, resource, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
try:
    from perfxl.batch.copies import complete_file, problems_by_file
except ImportError:  # before the copies had their own module
    from perfxl.pipeline import complete_file, _problems_by_file as problems_by_file
from perfxl.batch.run import run_batch
from perfxl.batch.worker import review_file
from perfxl.rules.schema import DEFAULT
from perfxl.write.completed import make_plan

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime + r.ru_stime) * 1000

files = sorted(p for p in Path(sys.argv[2]).iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))
files = files[:300]
planned, plan_ms = [], 0.0
for f in files:
    _, reviews = review_file(f, f.name)
    start = cpu()
    planned.append((f, pickle.dumps(make_plan(reviews, DEFAULT), protocol=5)))
    plan_ms += cpu() - start
by_file = problems_by_file(run_batch([(f, f.name) for f in files], jobs=1))
tmp = tempfile.mkdtemp()
start = cpu()
for i, (f, plan) in enumerate(planned):
    complete_file(str(f), str(Path(tmp, f"{i}{f.suffix}")), f.name, DEFAULT,
                  by_file.get(f.name, []), (), plan)
print((cpu() - start + plan_ms) / len(planned))
"""


def copies(tree: Path) -> tuple[float, float]:
    """(ms of CPU per copy, same) for one version."""
    out = subprocess.run([sys.executable, "-c", COPIES, str(tree), str(CORPUS)],
                         capture_output=True, text=True, cwd=tempfile.gettempdir(), check=True)  # fmt: skip
    value = float(out.stdout.strip().splitlines()[-1])
    return value, value


def run(tree: Path, libreoffice: bool) -> tuple[float, float]:
    """(wall s, CPU s of the process tree) of one ``perfxl run``."""
    out = Path(tempfile.gettempdir(), f"perfxl-ab-{os.getpid()}")
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(tree), PERFXL_LIBREOFFICE="1" if libreoffice else "0")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "perfxl", "run", str(CORPUS), "-o", str(out),
                    "--jobs", "2"], env=env, capture_output=True, cwd=tempfile.gettempdir())  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not (out / "汇总表.xlsx").is_file():
        raise SystemExit(f"{tree}: perfxl run wrote no 汇总表")
    shutil.rmtree(out, ignore_errors=True)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path, help="source tree of version A (holds perfxl/)")
    ap.add_argument("b", type=Path, help="source tree of version B")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--copies", action="store_true")
    what.add_argument("--run", action="store_true")
    ap.add_argument("--libreoffice", action="store_true")
    ap.add_argument("-n", type=int, default=4, help="rounds")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"no corpus at {CORPUS}: run benchmarks/bench.py once first")
    trees = {"A": args.a.resolve(), "B": args.b.resolve()}
    results: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
    for i in range(args.n):
        for name in ("A", "B") if i % 2 == 0 else ("B", "A"):
            one = copies(trees[name]) if args.copies else run(trees[name], args.libreoffice)
            results[name].append(one)
    unit = "ms CPU per copy" if args.copies else "s wall (s CPU)"
    for name, rs in results.items():
        first = [r[0] for r in rs]
        cpu = f" (CPU median {statistics.median(r[1] for r in rs):.1f})" if args.run else ""
        print(f"{name} {trees[name]}: median {statistics.median(first):.2f}, min {min(first):.2f} "
              f"{unit}{cpu}; runs {' '.join(f'{x:.2f}' for x in first)}")  # fmt: skip
    ratios = [a[0] / b[0] for a, b in zip(results["A"], results["B"], strict=True)]
    print(
        f"A ÷ B by round: {' '.join(f'{x:.2f}' for x in ratios)}; "
        f"median {statistics.median(ratios):.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
