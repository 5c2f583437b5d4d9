"""Tests of errkit's core layer (a package so test module names stay unique)."""
