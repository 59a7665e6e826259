from sklearn.dummy import train  # type: ignore[attr-defined]
