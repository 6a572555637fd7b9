"""Closed Loop (闭环): a classroom strategy game of platform e-commerce."""

__version__ = "0.1.0"
