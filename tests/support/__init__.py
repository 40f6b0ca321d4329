"""Helpers shared by the tests: the databases under test, clients, small hand-built graphs."""
