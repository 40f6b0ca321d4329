"""Cross-referencing benchmark: how `tejido xref` grows with the data, and how good it is.

Cost: for each `--scale`, generates a dataset, loads it into a fresh embedded FalkorDB and runs
the matching as `tejido xref` does, timing its three phases (read the records, block and
compare, write proposals; median of `--runs`) and sampling the process's memory while it runs;
then times the matching that follows a write through the API (`match_new`).

Quality: precision and recall at the default thresholds, and the curve over one threshold for
all labels, on the seed (seed_data/, on which the rules were tuned) and on a second, independent
labelled set (`tejido generate --seed 4242 --noise harsh`: other names, noisier copies), untuned.
First as the operator scores pairs (on everything), then as the holders are told of them: a pair
counts as found when at least one of its two holders, or both, may learn of it from what its
organization may read (service/xref/sides.py).

    python benchmarks/xref.py --scales 10 100 --runs 3
    python benchmarks/xref.py --quality
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import psutil

from service.config import Settings
from service.generate import write_dataset
from service.ingest.load import load_folder
from service.store import Store, embedded_server, open_store
from service.xref.compare import Candidate, Rules, default_rules
from service.xref.names import name_similarity
from service.xref.quality import Pair, Quality, measure, read_truth
from service.xref.records import Records, read_all
from service.xref.sides import Proposal
from service.xref.workflow import compare_all, match_new, propose, sides_of

SEED = Path(__file__).resolve().parents[1] / "seed_data"
CURVE = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


@asynccontextmanager
async def loaded(folder: Path) -> AsyncIterator[Store]:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as data:
        settings = Settings(data_dir=Path(data), log_level="WARNING")
        with embedded_server(settings) as address:
            uri = f"falkordb://{address.host}:{address.port}"
            async with open_store(settings.model_copy(update={"graph_uri": uri})) as store:
                await load_folder(store, folder, 5000, atomic_rows=0)
                yield store


@contextmanager
def peak_rss() -> Iterator[list[int]]:
    """Samples this process's resident memory every 20 ms; yields [baseline, peak] in bytes."""
    process = psutil.Process()
    seen = [process.memory_info().rss] * 2
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            seen[1] = max(seen[1], process.memory_info().rss)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        done.set()
        thread.join()
        seen[1] = max(seen[1], process.memory_info().rss)


async def cost(scale: float, runs: int) -> None:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as out:
        folder = Path(out)
        write_dataset(folder, scale=scale)
        async with loaded(folder) as store:
            rules = default_rules()
            phases: dict[str, list[float]] = {"read": [], "compare": [], "write": []}
            peaks = []
            for _ in range(runs):
                name_similarity.cache_clear()  # each run as cold as the first
                with peak_rss() as memory:
                    started = time.perf_counter()
                    records = await read_all(store)
                    read = time.perf_counter()
                    compared = compare_all(records, rules)
                    found = [c for c in compared if c.score >= rules.threshold(c.label)]
                    proposals = await sides_of(store, records, rules, compared)
                    done = time.perf_counter()
                    await propose(store, records, proposals, whole=True)
                    written = time.perf_counter()
                phases["read"].append(read - started)
                phases["compare"].append(done - read)
                phases["write"].append(written - done)
                peaks.append(memory[1] - memory[0])
            incremental = await on_write(store, records)
            n = len(records.defenders) + len(records.incidents) + len(records.cases)
            total = [sum(p) for p in zip(*phases.values(), strict=True)]
            print(
                f"scale {scale:g}: {n} records, {len(compared)} pairs compared "
                f"({len(compared) / n:.2f} per record: {per_label(compared)}), "
                f"{len(found)} proposed; "
                f"median s: read {statistics.median(phases['read']):.2f}, "
                f"compare {statistics.median(phases['compare']):.2f}, "
                f"write {statistics.median(phases['write']):.2f}, "
                f"total {statistics.median(total):.2f}; "
                f"peak memory above baseline {max(peaks) / 2**20:.0f} MB "
                f"(process {psutil.Process().memory_info().rss / 2**20:.0f} MB); "
                f"matching one written record, median ms: {incremental}"
            )


def per_label(compared: list[Candidate]) -> str:
    counts = Counter(c.label for c in compared)
    return ", ".join(f"{label} {counts[label]}" for label in sorted(counts))


async def on_write(store: Store, records: Records, samples: int = 5) -> str:
    """What matching adds to a write: `match_new` on existing records, as the API runs it."""
    rng = random.Random(7)
    out = []
    for label, table in (
        ("case", records.cases),
        ("defender", records.defenders),
        ("incident", records.incidents),
    ):
        times = []
        for record in rng.sample(sorted(table), min(samples, len(table))):
            name_similarity.cache_clear()
            started = time.perf_counter()
            await match_new(store, [record])
            times.append((time.perf_counter() - started) * 1000)
        out.append(f"{label} {statistics.median(times):.0f}")
    return ", ".join(out)


def served(proposals: list[Proposal], truth: set[Pair], label: str, both: bool) -> Quality:
    """Quality of the pairs told to one holder at least (or, `both`, to each of the two)."""
    wanted = {p for p in truth if label in ("all", p[0])}
    told = all if both else any
    found = {
        (p.label, p.left, p.right)
        for p in proposals
        if label in ("all", p.label) and told(s is not None for s in p.sides)
    }
    return Quality(None, label, len(found & wanted), len(found - wanted), len(wanted - found))


def line(label: str, q: Quality) -> str:
    return (
        f"    {label:<9} precision {q.precision:.3f} recall {q.recall:.3f} "
        f"(tp {q.true_positives}, fp {q.false_positives}, fn {q.false_negatives})"
    )


async def quality_of(name: str, folder: Path, rules: Rules) -> None:
    async with loaded(folder) as store:
        records = await read_all(store)
        compared = compare_all(records, rules)
        proposals = await sides_of(store, records, rules, compared)
    truth = read_truth(folder / "xref_truth.csv")
    print(f"\n{name}: {len(truth)} labelled pairs, {len(compared)} compared")
    print("  default thresholds, scored on everything (the operator's view):")
    for label in ("Defender", "Incident", "Case", "all"):
        print(line(label, measure(compared, truth, rules, label=label)))
    for both, who in ((False, "at least one holder"), (True, "both holders")):
        print(f"  default thresholds, told to {who} (from what each may read):")
        for label in ("Defender", "Incident", "Case", "all"):
            print(line(label, served(proposals, truth, label, both)))
    print("  one threshold for all labels: threshold precision recall")
    for threshold in CURVE:
        q = measure(compared, truth, rules, threshold=threshold)
        print(f"    {threshold:.2f} {q.precision:.3f} {q.recall:.3f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="*", default=[10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quality", action="store_true", help="Precision/recall instead.")
    args = parser.parse_args()
    if args.quality:
        rules = default_rules()
        await quality_of("seed_data (tuned on)", SEED, rules)
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as out:
            write_dataset(Path(out), scale=1, seed=4242, noise="harsh")
            await quality_of("generated seed 4242, harsh noise (not tuned on)", Path(out), rules)
        return
    for scale in args.scales:
        await cost(scale, args.runs)


if __name__ == "__main__":
    asyncio.run(main())
