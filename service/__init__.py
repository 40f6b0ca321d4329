"""Tejido. The import package is `service` (the design's top level); see docs/deployment.md
for why it is not renamed yet and how it will be."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tejido")
except PackageNotFoundError:  # pragma: no cover - run from a checkout that is not installed
    __version__ = "0.0.0"
