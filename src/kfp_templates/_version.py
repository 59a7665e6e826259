"""The tool's version: the one source of truth, read by setuptools at build time.

A literal rather than `importlib.metadata.version()`, which costs about 70 ms of start-up that
`validate` cannot afford (its target is 0.3 s including interpreter start).
"""

__version__ = "0.1.0"
