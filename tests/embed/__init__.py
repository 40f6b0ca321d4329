"""Tests of service/embed."""
