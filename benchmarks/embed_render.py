"""Embed page benchmark: time to first render in headless Chromium, and what the page downloads.

Generates a dataset (`--scale`), loads it into a fresh embedded FalkorDB, picks the
neighbourhood views whose sizes come closest to each `--nodes` target (about 200 and 2,000
nodes), adds a hand-built graph of exactly each target size, makes an embed token for each view
and serves the app with `tejido serve`. Then Debian's
Chromium (through Playwright) opens each page `--runs` times in a fresh context and reads
`window.tejidoEmbed.renderMs`: performance.now() from navigation start to the end of
Cytoscape's first layout. Bytes are the sizes of every response the page received (headers and
bodies; the server does not compress).

    python benchmarks/embed_render.py --runs 5
    python benchmarks/embed_render.py --screenshots docs/screenshots   # make screenshots

With `--screenshots DIR` it loads the seed data instead and writes one PNG per view there, in
English (`<view>.png`) and Spanish (`<view>.es.png`), and GraphiQL with its examples, a key
pasted and the PowerMap example run (`graphiql.png`, `graphiql.es.png`).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
from api_throughput import free_port, server
from measures import rows
from playwright.async_api import Browser, async_playwright

from service.access import Role, Tlp, Viewer
from service.config import Settings
from service.embed.tokens import create_embed
from service.embed.views import build_view
from service.errors import InvalidInput
from service.generate import write_dataset
from service.ingest.load import load_folder, load_tables
from service.keys import create_key
from service.store import Store, embedded_server, open_store
from service.xref.workflow import run_xref

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed_data"
ORG = "org-000037"  # the seed's NGO (generated data has it too), its RED records included
VIEWPORT = {"width": 1200, "height": 760}
COMPACT = {"width": 600, "height": 400}  # a dashboard tile: the page's compact mode
CANDIDATES = 60  # actors tried as the centre of a neighbourhood view
# The seed views the README shows, with an AMBER cap (what org-000037's dashboards would use).
SEED_VIEWS = {
    "collusion": {"territory": "ter-000001"},
    "paths": {"from": "act-000001", "to": "act-000021"},
    "neighbourhood": {"id": "act-000001", "hops": "2"},
    "powermap": {"territory": "ter-000001"},
}


async def sized_views(
    store: Store, actors: list[str], targets: list[int], day: dt.date
) -> dict[int, tuple[dict[str, str], int]]:
    """For each target, the neighbourhood params whose node count comes closest to it."""
    viewer = Viewer(ORG, Role.READER, Tlp.RED)
    best: dict[int, tuple[dict[str, str], int]] = {}
    for actor in actors:
        for hops in ("1", "2", "3"):
            params = {"id": actor, "hops": hops}
            try:
                size = len((await build_view(store, "neighbourhood", params, viewer, day)).nodes)
            except InvalidInput:  # more than the page's limit of nodes
                break
            for target in targets:
                if target not in best or abs(size - target) < abs(best[target][1] - target):
                    best[target] = (params, size)
    return best


KINDS = [
    ("state", "police"),
    ("state", "military"),
    ("state", "prosecutor"),
    ("non_state", "organized_crime"),
    ("non_state", "corporation"),
    ("non_state", "paramilitary"),
]
TIES = ["COLLUDES_WITH", "FUNDS", "COMMANDS", "ALLIED_WITH", "INFILTRATES", "RIVAL_OF"]


def synthetic_tables(size: int, prefix: str, seed: int) -> dict[str, pd.DataFrame]:
    """`size` fictional actors all within 3 hops of `{prefix}-0`: a tree of branching b (the
    smallest with 1 + b + b^2 + b^3 >= size) plus size/2 random cross ties, so a neighbourhood
    view with hops 3 holds exactly `size` nodes. Generated data rarely lands near a size: its
    3-hop neighbourhoods jump from about 1,100 nodes to more than the page's 2,000."""
    rnd = random.Random(seed)
    branching = next(b for b in range(1, size + 1) if 1 + b + b * b + b**3 >= size)
    actors = [
        {
            "id": f"{prefix}-{i}",
            "name": f"Actor sintetico {prefix} {i}",
            "sector": KINDS[i % 6][0],
            "kind": KINDS[i % 6][1],
            "tlp": "GREEN",
            "owner": ORG,
        }
        for i in range(size)
    ]
    pairs = [((i - 1) // branching, i) for i in range(1, size)]
    pairs += [(rnd.randrange(size), rnd.randrange(size)) for _ in range(size // 2)]
    ties = [
        {
            "id": f"{prefix}-r{n}",
            "type": rnd.choice(TIES),
            "from_id": f"{prefix}-{a}",
            "to_id": f"{prefix}-{b}",
            "confidence": f"{rnd.uniform(0.2, 1):.2f}",
            "tlp": "GREEN",
            "owner": ORG,
        }
        for n, (a, b) in enumerate(pairs)
        if a != b
    ]
    return {"actors.csv": pd.DataFrame(actors), "relationships.csv": pd.DataFrame(ties)}


def chromium() -> str:
    path = os.environ.get("TEJIDO_TEST_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise SystemExit("no Chromium: install Debian's `chromium` (make tools)")
    return path


async def open_once(
    browser: Browser,
    url: str,
    screenshot: Path | None = None,
    details: str = "",
    viewport: dict[str, int] = VIEWPORT,
) -> dict[str, Any]:
    """One cold visit: render time, bytes received, and the nodes and edges drawn."""
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    await page.goto(url)
    render_ms = await page.evaluate("window.tejidoEmbed.ready")
    counts = await page.evaluate("[window.tejidoEmbed.nodeCount(), window.tejidoEmbed.edgeCount()]")
    sizes = [await r.sizes() for r in requests]
    data = [r.timing for r in requests if "/data" in r.url]
    if screenshot:
        if details:  # that element's details, as a click opens them
            await page.evaluate(f"window.tejidoEmbed.select({json.dumps(details)})")
            await page.wait_for_selector("[data-testid=panel][data-state=ready]")
        await page.wait_for_timeout(200)  # one more frame after the layout
        await page.screenshot(path=str(screenshot))
    await context.close()
    return {
        "render_ms": render_ms,
        "bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes),
        "requests": len(requests),
        "data_ms": data[0]["responseEnd"] - data[0]["requestStart"] if data else None,
        "nodes": counts[0],
        "edges": counts[1],
    }


@contextmanager
def tejido_serve(settings: Settings, logs: Path) -> Iterator[str]:
    """`tejido serve` attached to the benchmark's embedded database."""
    port = free_port()
    env = {
        **os.environ,
        "TEJIDO_GRAPH_URI": settings.graph_uri or "",
        "TEJIDO_DATA_DIR": str(settings.data_dir),
        "TEJIDO_LOG_LEVEL": "WARNING",
    }
    tejido = str(Path(sys.executable).with_name("tejido"))
    args = [tejido, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with server(args, env, port, logs / "serve.log") as base:
        yield base


async def measure(browser: Browser, base: str, paths: dict[str, str], runs: int) -> None:
    print(
        f"{'view':<36} {'nodes':>6} {'edges':>6} {'render ms (median)':>19} "
        f"{'min..max':>14} {'data ms':>8} {'KiB':>7} {'requests':>8}"
    )
    for name, path in paths.items():
        visits = [await open_once(browser, base + path) for _ in range(runs)]
        times = [v["render_ms"] for v in visits]
        last = visits[-1]
        data_ms = statistics.median(v["data_ms"] for v in visits if v["data_ms"] is not None)
        print(
            f"{name:<36} {last['nodes']:>6} {last['edges']:>6} {statistics.median(times):>19.0f} "
            f"{min(times):>6.0f}..{max(times):<6.0f} {data_ms:>8.0f} {last['bytes'] / 1024:>7.0f} "
            f"{last['requests']:>8}"
        )


def _evidence(base: str, path: str, element: str) -> list[dict[str, Any]]:
    evidence: list[dict[str, Any]] = httpx.get(f"{base}{path}/element/{element}").json()["evidence"]
    return evidence


async def screenshots(browser: Browser, base: str, paths: dict[str, str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for (view, path), lang in itertools.product(paths.items(), ("en", "es")):
        png = out / (f"{view}.png" if lang == "en" else f"{view}.{lang}.png")
        # The power map's picture shows the details of its surest collusion tie with evidence
        # (seed actors carry no sources of their own; relationships do).
        edges = httpx.get(f"{base}{path}/data").json()["edges"] if view == "powermap" else []
        ties = sorted(edges, key=lambda e: (e["type"] != "COLLUDES_WITH", -e["confidence"]))
        shown = next((e["id"] for e in ties if _evidence(base, path, e["id"])), "")
        visit = await open_once(browser, f"{base}{path}?lang={lang}", png, details=shown)
        print(f"{png}: {visit['nodes']} nodes, {visit['edges']} edges")
        tile = png.with_suffix(".compact.png")  # graph first: no details, controls folded
        await open_once(browser, f"{base}{path}?lang={lang}", tile, viewport=COMPACT)
        print(tile)


REVIEW_QUERY = "{ crossReferences(first: 1) { totalCount } }"


async def analyst_keys(store: Store) -> list[str]:
    """An analyst key of every seed organization (the review page's picture needs one with
    matches to review, and which have some depends on what matching found)."""
    orgs = pd.read_csv(SEED / "organizations.csv")["id"]
    return [(await create_key(store, org, Role.ANALYST, Tlp.RED)).key for org in orgs]


def busiest(base: str, keys: list[str]) -> str:
    def listed(key: str) -> int:
        headers = {"Authorization": f"Bearer {key}"}
        body = httpx.post(f"{base}/graphql", json={"query": REVIEW_QUERY}, headers=headers)
        return int(body.json()["data"]["crossReferences"]["totalCount"])

    return max(keys, key=listed)


async def review_screenshots(browser: Browser, base: str, keys: list[str], out: Path) -> None:
    """The cross-reference review page with an analyst's key, the first match selected."""
    key = busiest(base, keys)
    for lang in ("en", "es"):
        context = await browser.new_context(viewport={"width": 1200, "height": 800})
        page = await context.new_page()
        await page.goto(f"{base}/review?lang={lang}")
        await page.fill("[data-testid=key-input]", key)
        await page.keyboard.press("Enter")
        await page.wait_for_selector("[data-testid=match]")
        png = out / ("review.png" if lang == "en" else f"review.{lang}.png")
        await page.screenshot(path=str(png))
        await context.close()
        print(png)


async def graphiql_screenshots(browser: Browser, base: str, key: str, out: Path) -> None:
    """GraphiQL as a new user finds it: the examples as tabs, a key pasted, PowerMap run."""
    for lang in ("en", "es"):
        context = await browser.new_context(viewport={"width": 1400, "height": 860})
        page = await context.new_page()
        await page.goto(f"{base}/graphql?lang={lang}")
        await page.locator(".graphiql-tab").first.wait_for()
        await page.get_by_test_id("api-key").fill(key)
        await page.locator(".graphiql-tab", has_text="PowerMap").click()
        await page.wait_for_timeout(800)  # the schema, fetched again with the key
        await page.locator(".graphiql-execute-button").click()
        await page.locator(".graphiql-response").get_by_text('"powerMap"').wait_for()
        png = out / ("graphiql.png" if lang == "en" else f"graphiql.{lang}.png")
        await page.screenshot(path=str(png))
        await context.close()
        print(png)


async def seed_paths(store: Store, settings: Settings) -> dict[str, str]:
    """Load the seed; one embed path per view of SEED_VIEWS, and an API key (`key`)."""
    await load_folder(store, SEED, 5000)
    await run_xref(store)  # proposals for the review page
    paths = {"key": (await create_key(store, ORG, Role.ANALYST, Tlp.RED)).key}
    for view, params in SEED_VIEWS.items():
        new = await create_embed(
            store,
            settings,
            ORG,
            view,
            params,
            creator_clearance=Tlp.RED,
            created_by="benchmark",
            max_tlp=Tlp.AMBER,
        )
        paths[view] = new.path
    return paths


async def bench_paths(store: Store, settings: Settings, tmp: Path, args: Any) -> dict[str, str]:
    """Generate and load a dataset; one embed path per target size."""
    folder = tmp / "data"
    counts = write_dataset(folder, scale=args.scale, seed=7)
    report = await load_folder(store, folder, 5000, atomic_rows=0)
    print(f"scale {args.scale}: {sum(counts.values())} rows loaded in {report.seconds:.0f} s")
    actors = [row["id"] for row in rows(folder, "actors.csv")]
    tried = random.Random(7).sample(actors, min(CANDIDATES, len(actors)))
    day = dt.datetime.now(dt.UTC).date()
    paths = {}
    for target, (params, size) in sorted(
        (await sized_views(store, tried, args.nodes, day)).items()
    ):
        new = await create_embed(
            store,
            settings,
            ORG,
            "neighbourhood",
            params,
            creator_clearance=Tlp.RED,
            created_by="benchmark",
            max_tlp=Tlp.RED,
        )
        paths[f"generated ~{target}: {params['id']} hops {params['hops']}"] = new.path
        print(f"target {target} nodes: neighbourhood {json.dumps(params)} has {size}")
    for target in args.nodes:
        prefix = f"syn{target}"
        await load_tables(store, synthetic_tables(target, prefix, seed=target), 5000)
        params = {"id": f"{prefix}-0", "hops": "3"}
        new = await create_embed(
            store,
            settings,
            ORG,
            "neighbourhood",
            params,
            creator_clearance=Tlp.RED,
            created_by="benchmark",
            max_tlp=Tlp.RED,
        )
        paths[f"hand-built {target}: hops 3"] = new.path
    return paths


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=3, help="size of the generated dataset")
    parser.add_argument("--nodes", type=int, nargs="+", default=[200, 2000], help="view sizes")
    parser.add_argument("--runs", type=int, default=5, help="cold visits per view")
    parser.add_argument("--screenshots", type=Path, help="instead: one PNG per seed view here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        settings = Settings(data_dir=Path(tmp) / "db")
        with embedded_server(settings) as address:
            settings = settings.model_copy(
                update={"graph_uri": f"falkordb://{address.host}:{address.port}"}
            )
            async with open_store(settings) as store:
                if args.screenshots:
                    paths = await seed_paths(store, settings)
                    reviewers = await analyst_keys(store)
                else:
                    paths = await bench_paths(store, settings, Path(tmp), args)
            with tejido_serve(settings, Path(tmp)) as base:
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(
                        executable_path=chromium(), headless=True
                    )
                    print(
                        f"Chromium {browser.version}, headless, "
                        f"{VIEWPORT['width']}x{VIEWPORT['height']}"
                    )
                    if args.screenshots:
                        key = paths.pop("key")
                        await screenshots(browser, base, paths, args.screenshots)
                        await graphiql_screenshots(browser, base, key, args.screenshots)
                        await review_screenshots(browser, base, reviewers, args.screenshots)
                    else:
                        await measure(browser, base, paths, args.runs)
                    await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
