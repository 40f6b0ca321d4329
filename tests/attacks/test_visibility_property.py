"""Property: for random graphs, markings, sharing, network admissions and viewers, no answer of
the API mentions an id, a name or a place outside what its viewer may see.

Hypothesis draws EXAMPLES graphs (attacks/prop_graph.py) and 2 or 3 viewers for each
(organization, role, clearance; the last is always an admin, for the audit log), derandomized so
CI is reproducible. Each graph is written as an interchange folder, loaded into a fresh graph,
cross-referenced; then every viewer asks every read through GraphQL (attacks/prop_reads.py) and
each answer is checked against the test's own reading of the rules (attacks/prop_oracle.py).
Findings from all examples are gathered and reported together, grouped by kind, each naming the
example, the viewer, the field and the id, so one run shows every class of leak at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from service.access import Role, Tlp
from service.errors import InvalidInput
from service.ingest.load import load_folder
from service.keys import create_key
from service.store import Store
from service.xref.workflow import run_xref
from tests.attacks.prop_graph import NETWORK, NGOS, TLPS, Graph, graphs
from tests.attacks.prop_oracle import Oracle, ViewerSpec
from tests.attacks.prop_reads import FIELDS_COVERED, Findings, ViewerReads
from tests.support.graphql_client import app_client

# Examples per database; TEJIDO_VISIBILITY_EXAMPLES=200 for a deeper run by hand.
EXAMPLES = int(os.environ.get("TEJIDO_VISIBILITY_EXAMPLES", "15"))
ROLES = ("reader", "analyst", "admin")
viewer_specs = st.builds(
    ViewerSpec, st.sampled_from((*NGOS, NETWORK)), st.sampled_from(ROLES), st.sampled_from(TLPS)
)
admins = st.builds(ViewerSpec, st.sampled_from(NGOS), st.just("admin"), st.sampled_from(TLPS))
viewer_lists = st.tuples(st.lists(viewer_specs, min_size=1, max_size=2, unique=True), admins).map(
    lambda pair: list(dict.fromkeys([*pair[0], pair[1]]))
)


def drawn_examples() -> list[tuple[Graph, list[ViewerSpec]]]:
    """The examples, drawn once and the same on every run (no shrinking: each costs a load)."""
    drawn: list[tuple[Graph, list[ViewerSpec]]] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(graphs(), viewer_lists)
    def collect(graph: Graph, viewers: list[ViewerSpec]) -> None:
        drawn.append((graph, viewers))

    collect()
    return drawn


async def reset(store: Store) -> None:
    while (await store.write("delete_some", limit=10_000))[0]["deleted"]:
        pass


async def test_no_answer_shows_what_its_viewer_may_not_see(
    store: Store, tmp_path: Path, backend: str
) -> None:
    examples = drawn_examples()
    findings = Findings()
    async with app_client(store) as http:
        for n, (graph, viewers) in enumerate(examples):
            await reset(store)
            folder, claims = tmp_path / f"graph-{n}", tmp_path / f"claims-{n}"
            folder.mkdir()
            claims.mkdir()
            graph.write_csv(folder)
            graph.write_csv(claims, claims=True)
            await load_folder(store, folder, batch_size=500)
            try:
                if any(claims.iterdir()):
                    await load_folder(store, claims, batch_size=500)
            except InvalidInput:
                findings.stats["claims refused by the loader"] += 1
            await run_xref(store)
            oracles = {v: Oracle(graph, v) for v in viewers}
            keys = {
                v: await create_key(store, v.org, Role(v.role), Tlp(v.clearance)) for v in viewers
            }
            runs = {
                v: ViewerReads(http, keys[v].key, oracles[v], findings, f"example {n} viewer {v}")
                for v in viewers
            }
            for v in viewers:
                await runs[v].run()
            key_owners = {keys[v].id: oracles[v] for v in viewers}
            for v in viewers:
                if v.role == "admin":
                    await runs[v].audit_log(key_owners)
            findings.stats["examples"] += 1
            findings.stats["viewers"] += len(viewers)
            findings.stats["records"] += len(graph.records)
            findings.stats["relationships"] += len(graph.relations)
            findings.stats["largest graph (records)"] = max(
                findings.stats["largest graph (records)"], len(graph.records)
            )
    print(f"\n[{backend}] {dict(findings.stats)}; fields: {', '.join(FIELDS_COVERED)}")  # noqa: T201
    assert not findings, f"[{backend}] leaks found:\n{findings.report()}"
