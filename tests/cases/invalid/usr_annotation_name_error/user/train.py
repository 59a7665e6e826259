import typing


def train(df: pandas.DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """`pandas` is not imported: evaluating the annotation raises NameError on import."""
    return df[target].mean()
