"""Load the fictional list of lethal attacks into a fresh embedded database, serve it, and print
what the analysis says of its two countries with the most killings: the top of
`atRiskDefenders`, the power classes of `powerMap` and the top of `shadowPower`, through the
researchers' client (docs/researchers.md) with an analyst key of the list's organization.

    python examples/lethal_attacks/analyse.py [--rows 1600]

Everything runs on loopback in a temporary folder; nothing is left behind.
"""

# ruff: noqa: T201, S603 - a script: it prints its report and runs tejido, make_table.py

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import pandas as pd

from service.client import TejidoClient

HERE = Path(__file__).resolve().parent
TABLE = HERE / "lethal_attacks.csv"
MAPPING = HERE / "lethal_attacks.mapping.yaml"
ORG = "org-lista-letal"  # declared in the mapping
TEJIDO = str(Path(sys.executable).with_name("tejido"))

AT_RISK = """query ($t: ID!) { atRiskDefenders(territory: $t, first: 5) {
  score level defender { pseudonym status } } }"""
POWER = """query ($t: ID!) { powerMap(territory: $t) { actors { powers actor { name kind } } } }"""
SHADOW = """query ($t: ID!) { shadowPower(territory: $t, first: 5) {
  score covertReach attributedIncidents actor { name kind } } }"""
COUNTRIES = """query ($after: String) { territories(filter: {kind: country}, first: 100,
  after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } } }"""


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([TEJIDO, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1600)
    args = parser.parse_args()
    subprocess.run(
        [sys.executable, str(HERE / "make_table.py"), "--rows", str(args.rows)], check=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TEJIDO_DATA_DIR": tmp, "TEJIDO_LANGUAGE": "en"}
        started = time.perf_counter()
        print(run(env, "load", str(TABLE), "--mapping", str(MAPPING), "--no-progress").strip())
        print(f"loaded in {time.perf_counter() - started:.1f} s")
        key = run(env, "keys", "create", "--org", ORG, "--role", "analyst", "--clearance", "RED")
        port = free_port()
        serve = [TEJIDO, "serve", "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(
            serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            report(TejidoClient(f"{base}/graphql", key.strip().splitlines()[-1], lang="en"))
        finally:
            server.terminate()
            server.wait(timeout=60)


def report(tejido: TejidoClient) -> None:
    table = pd.read_csv(TABLE)
    countries = tejido.frame_all(COUNTRIES).set_index("name")["id"]
    busiest = [name for name, _ in Counter(table["Country"]).most_common() if name in countries]
    for name in busiest[:2]:
        territory = countries[name]
        print(f"\n## {name} ({territory}): {int((table['Country'] == name).sum())} killings listed")
        risk = tejido.frame(AT_RISK, {"t": territory})
        print("\natRiskDefenders (top 5):")
        print(risk.to_string(index=False) if len(risk) else "  none")
        actors = tejido.execute(POWER, {"t": territory})["powerMap"]["actors"]
        classes = Counter(p for a in actors for p in (a["powers"] or ["UNCLASSIFIED"]))
        print(f"\npowerMap: {len(actors)} actors; classes held: {dict(classes)}")
        shadow = tejido.frame(SHADOW, {"t": territory})
        print("\nshadowPower (top 5):")
        print(shadow.to_string(index=False) if len(shadow) else "  none")


if __name__ == "__main__":
    main()
