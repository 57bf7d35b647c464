"""oxychain: from surge forecast to tender, inspection, devices and allocation."""

__version__ = "0.1.0"
