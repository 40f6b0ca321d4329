"""Tests of service/ingest."""
