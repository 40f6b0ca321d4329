"""The test suite; its layout mirrors service/ (see conftest.py for the fixtures)."""
