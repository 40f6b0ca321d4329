"""Tests of service/analytics."""
