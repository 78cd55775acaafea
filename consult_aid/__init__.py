"""Consult Aid: a consultation aid for the consent discussion before spinal surgery."""

__version__ = "0.1.0"
