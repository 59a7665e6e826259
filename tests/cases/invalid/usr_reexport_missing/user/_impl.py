def fit() -> None:
    pass
