"""Tests of service/xref."""
