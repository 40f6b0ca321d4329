"""The language of a request (`?lang=`, Accept-Language, TEJIDO_LANGUAGE) changes the errors
the API and the embed routes send, over HTTP with real keys."""

from __future__ import annotations

from typing import Any

import httpx

from service.access import Role, Tlp
from service.analytics.influence_paths import MAX_HOPS
from service.config import Settings
from service.i18n import gettext
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import app_client
from tests.support.tables import load_rows
from tests.test_access import ORGS

TOO_FAR = '{ influencePaths(from: "act-1", to: "act-2", maxHops: 99) { strength } }'


async def graphql_error(http: httpx.AsyncClient, key: str, **headers: str) -> str:
    response = await http.post(
        "/graphql",
        json={"query": TOO_FAR},
        headers={"Authorization": f"Bearer {key}", **headers},
    )
    body: dict[str, Any] = response.json()
    return str(body["errors"][0]["message"])


async def test_accept_language_changes_graphql_errors(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    async with app_client(store) as http:
        spanish = await graphql_error(http, key, **{"Accept-Language": "es-HN,es;q=0.9"})
        english = await graphql_error(http, key, **{"Accept-Language": "en"})
    assert gettext("must be between 1 and {most}", "es", most=MAX_HOPS) in spanish
    assert gettext("must be between 1 and {most}", "en", most=MAX_HOPS) in english
    assert spanish != english


async def test_tejido_language_is_the_default_and_spanish_unless_set(store: Store) -> None:
    assert Settings.model_fields["language"].default == "es"
    async with app_client(store, Settings(language="es")) as http:
        refused = await http.get("/embed/not-a-token/data")
        assert refused.json()["error"] == gettext("this embed link is not valid", "es")
        english = await http.get("/embed/not-a-token/data", params={"lang": "en"})
        assert english.json()["error"] == "this embed link is not valid"
        page = await http.get("/embed/not-a-token", headers={"Accept-Language": "en-US"})
        assert page.status_code == 401
        assert '<html lang="en">' in page.text
        assert "This view cannot be shown" in page.text


async def test_the_views_route_explains_a_bad_date_in_the_request_language(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    async with app_client(store) as http:
        for lang in ("es", "en"):
            response = await http.get(
                "/views/collusion",
                params={"territory": "ter-1", "asOf": "yesterday"},
                headers={"Authorization": f"Bearer {key}", "Accept-Language": lang},
            )
            assert response.status_code == 400
            expected = gettext("asOf must be a date written YYYY-MM-DD", lang)
            assert response.json()["error"] == expected
