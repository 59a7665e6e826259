"""The tool's version, read from installed metadata so there is one source of truth."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kfp-templates")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
