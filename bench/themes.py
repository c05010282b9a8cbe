"""Recurring themes at scale (issue 18 point 2: 10,000 texts in under 5 s and 300 MB): generates
retro-card-like texts from the labelled fixture's sentences (exact repeats, near repeats with a word
dropped, added or moved, and one-off remarks made of its words), clusters them in a fresh process
and prints wall seconds, CPU seconds and peak resident memory.

    python bench/themes.py [--texts 10000]"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFIXES = ["", "", "", "Again: ", "Still ", "Once more, ", "This week: ", "Ugh, "]


def texts(count: int, seed: int = 18) -> list[str]:
    """`count` texts: about half repeat a fixture sentence as written (or in another case), a third
    change it by a word, and the rest are one-off remarks of four to twelve fixture words."""
    from accord.insights.tests.theme_fixture import labelled

    rng = random.Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    base = [t for t, _ in labelled()]
    words = " ".join(base).split()
    out: list[str] = []
    for _ in range(count):
        text, roll = rng.choice(base), rng.random()
        if roll < 0.5:
            out.append(text if rng.random() < 0.8 else text.lower())
        elif roll < 0.85:
            tokens = text.split()
            change = rng.randrange(3)
            if change == 0 and len(tokens) > 3:
                del tokens[rng.randrange(len(tokens))]
            elif change == 1:
                tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(words))
            else:
                tokens.append(tokens.pop(rng.randrange(len(tokens))))
            out.append(rng.choice(PREFIXES) + " ".join(tokens))
        else:
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))))
    return out


def child(count: int) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    django.setup()
    from accord.insights.themes import cluster

    sample = texts(count)
    wall, cpu = time.perf_counter(), time.process_time()
    labels = cluster(sample)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    unique = len({" ".join(t.lower().split()) for t in sample})
    print(
        f"themes: {count} texts ({unique} distinct), {len(set(labels))} clusters: "
        f"{wall:.2f} s wall, {cpu:.2f} s CPU, peak {peak:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.texts)
        return
    done = subprocess.run([sys.executable, __file__, "--child", "--texts", str(args.texts)], check=False)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
