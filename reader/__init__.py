"""reader: read saved articles in the terminal and keep the passages that matter."""

__version__ = "0.1.0"
