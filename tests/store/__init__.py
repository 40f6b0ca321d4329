"""Tests of service/store."""
