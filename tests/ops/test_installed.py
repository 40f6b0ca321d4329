"""Run by tools/test-installed-wheel: the suite there imports the installed wheel, not the
checkout, and the wheel carries what the service reads at run time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import service
from service import __version__
from service.cypher import CYPHER_DIR, load_catalog
from service.i18n import catalog_path

INSTALLED = os.environ.get("TEJIDO_TEST_INSTALLED")
pytestmark = pytest.mark.skipif(not INSTALLED, reason="run by tools/test-installed-wheel")


def test_service_comes_from_the_installed_wheel() -> None:
    assert INSTALLED is not None
    location = Path(service.__file__).resolve()
    assert location.is_relative_to(Path(INSTALLED).resolve()), location
    assert "site-packages" in location.parts
    assert __version__ == "0.2.0"


def test_the_wheel_carries_the_catalog_the_model_and_the_translations() -> None:
    assert CYPHER_DIR.is_dir() and not CYPHER_DIR.is_symlink()  # a copy, not the link
    assert len(load_catalog()) > 100
    for lang in ("es", "en"):
        assert catalog_path(lang).is_file()
    package = Path(service.__file__).parent
    for data in ("model/schema.yaml", "analytics/weights.yaml", "embed/static/page.html"):
        assert (package / data).is_file(), data
    assert any((package / "embed/static/vendor").glob("cytoscape*.js"))
