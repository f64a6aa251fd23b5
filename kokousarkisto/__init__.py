"""Kokousarkisto: harvest, archive, parse and publish Finnish municipal meeting minutes."""

from scraper import __version__

__all__ = ["__version__"]
