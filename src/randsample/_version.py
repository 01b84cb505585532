"""The library version (PEP 440). Draw records carry it."""

__version__ = "0.1.0"
