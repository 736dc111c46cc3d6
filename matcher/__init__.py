"""Matching engine for medical imaging professionals across borders."""

__version__ = "0.1.0"
