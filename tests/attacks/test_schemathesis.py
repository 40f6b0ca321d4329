"""A bounded schemathesis run over the GraphQL schema: whatever a reader sends, valid or not,
the answer is never a 5xx and never an `INTERNAL` error.

Schemathesis (hypothesis-graphql underneath) draws, for every query and mutation field of the
schema, EXAMPLES positive and EXAMPLES negative documents (arguments of every type, strings
with NUL and other odd characters, nulls, wrong types), derandomized so the run is the same on
every machine, and each positive document once more with a NUL in every string. They go to create_app on the seed, in process, with a real reader key. All
failures are gathered and reported together, each with the operation and the document that
caused it.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections import Counter, defaultdict
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.strategies import SearchStrategy
from schemathesis.generation import GenerationMode

from graphql import (
    StringValueNode,
    Visitor,
    build_schema,
    introspection_from_schema,
    parse,
    print_ast,
    visit,
)
from service.access import Role, Tlp
from service.api.app import create_app
from service.api.schema import schema as graphql_schema
from service.config import Settings
from service.keys import create_key
from service.store import Store

EXAMPLES = int(os.environ.get("TEJIDO_SCHEMATHESIS_EXAMPLES", "8"))  # per operation and mode
REQUEST_TIMEOUT_S = 20.0
READER_ORG = "org-000001"


def drawn_cases() -> tuple[int, list[tuple[str, str, str]]]:
    """(number of operations, [(operation, mode, GraphQL document)]) for the whole schema."""
    # From the schema's SDL: strawberry's own introspect() would run the app's extensions.
    introspection = introspection_from_schema(build_schema(graphql_schema.as_str()))
    loaded = schemathesis.graphql.from_dict(dict(introspection))
    operations = [result.ok() for result in loaded.get_all_operations()]
    cases: list[tuple[str, str, str]] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            documents = _documents(operation.as_strategy(generation_mode=mode))
            cases += [(operation.label, mode.value, d) for d in documents]
            if mode is GenerationMode.POSITIVE:
                variants = {with_nul(d) for d in documents} - set(documents)
                cases += [(operation.label, "positive+NUL", d) for d in sorted(variants)]
    return len(operations), cases


def _documents(strategy: SearchStrategy[Any]) -> list[str]:
    drawn: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(case: Any) -> None:
        drawn.append(case.body)

    collect()
    return drawn


class _AppendNul(Visitor):
    def enter_string_value(self, node: StringValueNode, *_: Any) -> StringValueNode:
        return StringValueNode(value=f"{node.value}\x00", block=False)


def with_nul(document: str) -> str:
    """The document with a NUL at the end of every string literal: in a few examples
    hypothesis-graphql seldom draws one, and a NUL is what breaks a driver's protocol."""
    return print_ast(visit(parse(document), _AppendNul()))


def _gist(message: str) -> str:
    """An error message without its particulars, to group failures."""
    return re.sub(r"\d+", "<n>", re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message))[:160]


async def test_no_request_gets_a_server_error(seeded: Store, backend: str) -> None:
    operations, cases = drawn_cases()
    key = (await create_key(seeded, READER_ORG, Role.READER, Tlp.AMBER)).key
    # Limits high enough that every document reaches its resolver (the limits have their own
    # tests in test_stall_and_input.py): a 429 would hide what the document does.
    app = create_app(
        Settings(rate_limit="100000/minute", analytics_rate_limit="100000/minute"), store=seeded
    )
    stats: Counter[str] = Counter()
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://tejido") as http:
            for label, mode, document in cases:
                stats["requests"] += 1
                try:
                    response = await asyncio.wait_for(
                        http.post(
                            "/graphql",
                            json={"query": document},
                            headers={"Authorization": f"Bearer {key}"},
                        ),
                        REQUEST_TIMEOUT_S,
                    )
                except TimeoutError:
                    stats["timeouts"] += 1
                    failures[(label, "timeout")].append(document)
                    continue
                stats[f"HTTP {response.status_code}"] += 1
                if response.status_code >= 500:
                    stats["5xx"] += 1
                    failures[(label, f"HTTP {response.status_code}: {response.text[:120]}")].append(
                        document
                    )
                    continue
                try:
                    body = response.json()
                except ValueError:
                    failures[(label, f"not JSON: {response.text[:120]}")].append(document)
                    continue
                for error in body.get("errors") or []:
                    code = (error.get("extensions") or {}).get("code")
                    stats[f"{mode} error {code}"] += 1
                    if code == "INTERNAL":
                        stats["INTERNAL"] += 1
                        failures[(label, f"INTERNAL: {_gist(str(error.get('message')))}")].append(
                            document
                        )
    summary = (
        f"[{backend}] {operations} operations, {dict(sorted(stats.items()))}, "
        f"{len(failures)} distinct failures"
    )
    print(f"\n{summary}")  # noqa: T201
    report = "\n".join(
        f"- {label}: {what} ({len(docs)}x), e.g. {docs[0][:300]!r}"
        for (label, what), docs in sorted(failures.items())
    )
    assert not failures, f"{summary}\n{report}"
