import typing

from pandas import DataFrame


class train:  # noqa: N801
    pass
