from ._training import train

__all__ = ["train"]
