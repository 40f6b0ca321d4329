"""The layout of service/api (no database): no import cycle among its modules, and every
mutation says who may call it."""

from __future__ import annotations

import grimp
import networkx as nx
from strawberry.permission import PermissionExtension

from service.api.schema import schema

API = "service.api"


def _import_cycles(package: str, within: str) -> list[list[str]]:
    """Each import cycle of `package` that passes through a module of `within`, as the modules
    in import order. Imports under `if TYPE_CHECKING` are left out: they run only for mypy,
    which is how the request's Context is reached from the types it holds."""
    graph = grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)
    imports = nx.DiGraph()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            imports.add_edge(importer, imported)
    cycles = []
    for component in nx.strongly_connected_components(imports):
        if len(component) > 1 and any(m == within or m.startswith(within + ".") for m in component):
            edges = nx.find_cycle(imports.subgraph(component))
            cycles.append([edge[0] for edge in edges] + [edges[0][0]])
    return cycles


def test_service_api_has_no_import_cycle() -> None:
    cycles = _import_cycles("service", API)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_every_mutation_says_who_may_call_it() -> None:
    mutation = schema.get_type_by_name("Mutation")
    assert mutation is not None
    unguarded = [
        field.graphql_name or field.python_name
        for field in mutation.fields  # type: ignore[union-attr]
        if not any(isinstance(e, PermissionExtension) for e in field.extensions)
    ]
    assert unguarded == [], (
        f"mutations without a permission (service/api/permissions.py): {unguarded}"
    )
