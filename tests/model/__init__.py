"""Tests of service/model."""
