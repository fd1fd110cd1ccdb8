"""Dispatch's Python 3 runtime shim; the entry point is shim.py (run as a script)."""
