"""Tests of service/generate."""
