"""Browser tests of the embed page (a package, so its conftest does not shadow tests/conftest.py)."""
