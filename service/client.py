"""A small client for researchers: any GraphQL operation with a key, answers as pandas DataFrames
and networkx graphs. Documented in docs/researchers.md; examples/notebooks/researcher.ipynb
uses it on the seed.

    from service.client import TejidoClient
    tejido = TejidoClient("http://127.0.0.1:8000/graphql", key="tjd_...")
    actors = tejido.frame("{ actors(first: 100) { edges { node { id name sector } } } }")
    network = tejido.graph(tejido.operation("CollusionNetwork", territory="ter-000001"))

It holds no state but the key; every call is one HTTP request (or one per page in `frame_all`),
so what it returns is exactly what the API lets that key see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pandas as pd

from service.errors import TejidoError

DEFAULT_URL = "http://127.0.0.1:8000/graphql"
# The example operations (graphql/operations, shipped in the package); `operations=` another
# folder of .graphql files.
EXAMPLE_OPERATIONS = Path(__file__).resolve().parent / "operations"
_OPERATION_NAME = re.compile(r"^\s*(?:query|mutation)\s+(\w+)", re.MULTILINE)


class ClientError(TejidoError):
    """The API refused the request or answered with errors; `errors` holds them as sent."""

    code = "CLIENT"

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        self.errors = errors or []
        super().__init__(message)


class TejidoClient:
    def __init__(
        self,
        url: str = DEFAULT_URL,
        key: str | None = None,
        *,
        lang: str | None = None,
        timeout_s: float = 60.0,
        operations: Path | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        if lang:
            headers["Accept-Language"] = lang
        self._http = httpx.Client(headers=headers, timeout=timeout_s)
        self.url = url
        self.operations_dir = operations or EXAMPLE_OPERATIONS

    def __enter__(self) -> TejidoClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def execute(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of one request; errors (even partial ones) raise ClientError."""
        response = self._http.post(self.url, json={"query": query, "variables": variables or {}})
        try:
            body = response.json()
        except ValueError:
            raise ClientError(f"HTTP {response.status_code}: {response.text[:200]}") from None
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors or response.status_code != 200:
            errors = errors or [{"message": str(body.get("detail", body))}]
            raise ClientError("; ".join(e.get("message", "?") for e in errors), errors)
        data: dict[str, Any] = body["data"]
        return data

    def operations(self) -> dict[str, str]:
        """The named operations of the operations folder: name -> document."""
        found = {}
        for path in sorted(self.operations_dir.glob("*.graphql")):
            text = path.read_text(encoding="utf-8")
            match = _OPERATION_NAME.search(text)
            if match:
                found[match.group(1)] = text
        return found

    def operation(self, name: str, **variables: Any) -> dict[str, Any]:
        """Run an example operation by its name (e.g. "CollusionNetwork")."""
        documents = self.operations()
        if name not in documents:
            known = ", ".join(sorted(documents)) or f"none in {self.operations_dir}"
            raise ClientError(f"no operation named {name!r}; known: {known}")
        return self.execute(documents[name], variables)

    def frame(
        self, query: str, variables: Mapping[str, Any] | None = None, path: str | None = None
    ) -> pd.DataFrame:
        """The list in the answer as a DataFrame, one row per item, nested fields flattened
        (`owner.name`). `path` ("actors.edges") picks the list when the answer has several;
        a Relay connection's `edges[].node` is unwrapped."""
        return rows_frame(list(_items(self.execute(query, variables), path)))

    def frame_all(
        self, query: str, variables: Mapping[str, Any] | None = None, path: str | None = None
    ) -> pd.DataFrame:
        """`frame` over every page of a connection: the query takes `$after: String` and asks
        for `pageInfo { hasNextPage endCursor }` beside `edges`."""
        rows: list[Any] = []
        after = None
        while True:
            data = self.execute(query, {**(variables or {}), "after": after})
            connection = _connection(data, path)
            rows.extend(edge["node"] for edge in connection["edges"])
            page = connection.get("pageInfo") or {}
            if not page.get("hasNextPage"):
                return rows_frame(rows)
            after = page["endCursor"]

    def graph(self, data: Mapping[str, Any]) -> nx.MultiDiGraph[str]:
        """A networkx graph from an answer holding a graph view (`nodes`, `edges`) or influence
        paths (`hops`); every attribute the answer carries is kept on its node or edge."""
        return answer_graph(data)


def rows_frame(rows: list[Any]) -> pd.DataFrame:
    return pd.json_normalize(rows) if rows else pd.DataFrame()


def answer_graph(data: Mapping[str, Any]) -> nx.MultiDiGraph[str]:
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for value in _walk(data):
        if isinstance(value.get("nodes"), list) and isinstance(value.get("edges"), list):
            for node in value["nodes"]:
                graph.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
            for edge in value["edges"]:
                attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "id")}
                graph.add_edge(edge["source"], edge["target"], key=edge.get("id"), **attrs)
        elif isinstance(value.get("hops"), list):
            for rank, hop in enumerate(value["hops"]):
                ends = [hop.get("from") or {}, hop.get("to") or {}]
                for end in ends:
                    if end.get("id"):
                        graph.add_node(end["id"], **{k: v for k, v in end.items() if k != "id"})
                if all(end.get("id") for end in ends):
                    attrs = {k: v for k, v in hop.items() if k not in ("from", "to", "id")}
                    graph.add_edge(ends[0]["id"], ends[1]["id"], key=hop.get("id", rank), **attrs)
    return graph


def _walk(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        yield value
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def _items(data: Mapping[str, Any], path: str | None) -> Iterator[Any]:
    found: Any = _at(data, path) if path else _only_list(data)
    if isinstance(found, Mapping) and isinstance(found.get("edges"), list):
        found = found["edges"]
    for item in found if isinstance(found, list) else [found]:
        is_edge = isinstance(item, Mapping) and set(item) <= {"node", "cursor"} and "node" in item
        yield item["node"] if is_edge else item


def _connection(data: Mapping[str, Any], path: str | None) -> Mapping[str, Any]:
    found = _at(data, path) if path else _only_list(data)
    if not (isinstance(found, Mapping) and "edges" in found):
        raise ClientError("frame_all needs a connection (edges { node } and pageInfo)")
    return found


def _at(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise ClientError(f"the answer has no {path!r}")
        value = value[part]
    return value


def _only_list(data: Mapping[str, Any]) -> Any:
    if len(data) != 1:
        raise ClientError(f"the answer has {len(data)} fields; say which with path=")
    return next(iter(data.values()))
