"""Kyso: the digital-signature platform of Vietnam Social Security."""

__version__ = "0.1.0"
