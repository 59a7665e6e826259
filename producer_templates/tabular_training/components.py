"""Python components of the tabular_training template.

Each function becomes a lightweight component in `pipeline.py` (through `ctx.component`), so its
body is shipped as source and runs in the consumer's image: imports belong inside the body, and
the consumer's functions are imported from `user` at run time.
"""
# ruff: noqa: PLC0415, PLR0917
# (bodies are shipped as source, so imports live inside them; KFP passes inputs by name)

from kfp import dsl


def ingest(source: str, n_rows: int, target_column: str, seed: int,
           data: dsl.Output[dsl.Dataset]) -> int:
    """Read a CSV or parquet table, or make a sample classification table when `source` is ""."""
    import pandas as pd

    if source:
        frame = pd.read_parquet(source) if source.endswith(".parquet") else pd.read_csv(source)
    else:
        from sklearn.datasets import make_classification

        features, labels = make_classification(n_samples=n_rows, n_features=5, n_informative=3,
                                               random_state=seed)
        frame = pd.DataFrame(features, columns=[f"x{i}" for i in range(features.shape[1])])
        frame[target_column] = labels
    frame.to_parquet(data.path, index=False)
    data.metadata["rows"] = len(frame)
    return len(frame)


def preprocess(data: dsl.Input[dsl.Dataset], target_column: str, test_fraction: float,
               seed: int, train_data: dsl.Output[dsl.Dataset],
               test_data: dsl.Output[dsl.Dataset]) -> None:
    """Run the consumer's `preprocess`, then split train and test rows (the template's job)."""
    import pandas as pd
    from user.preprocess import preprocess as user_preprocess

    frame = user_preprocess(pd.read_parquet(data.path),
                            {"target_column": target_column, "seed": seed})
    test = frame.sample(frac=test_fraction, random_state=seed)
    frame.drop(index=test.index).to_parquet(train_data.path, index=False)
    test.to_parquet(test_data.path, index=False)
    train_data.metadata["rows"] = len(frame) - len(test)
    test_data.metadata["rows"] = len(test)


def train(train_data: dsl.Input[dsl.Dataset], target_column: str, seed: int,
          model: dsl.Output[dsl.Model]) -> None:
    """Fit the consumer's model and pickle it into the Model artifact."""
    import pickle

    import pandas as pd
    from user.train import train as user_train

    fitted = user_train(pd.read_parquet(train_data.path), target_column, seed=seed)
    with open(model.path, "wb") as handle:
        pickle.dump(fitted, handle)
    model.metadata["framework"] = type(fitted).__module__.split(".")[0]


def evaluate(model: dsl.Input[dsl.Model], test_data: dsl.Input[dsl.Dataset],
             target_column: str, metric: str, metrics: dsl.Output[dsl.Metrics]) -> float:
    """Score the model with the consumer's `evaluate`; return the metric the gate compares."""
    import pickle

    import pandas as pd
    from user.evaluate import evaluate as user_evaluate

    with open(model.path, "rb") as handle:
        fitted = pickle.load(handle)
    scores = user_evaluate(fitted, pd.read_parquet(test_data.path), target_column)
    for name, value in sorted(scores.items()):
        metrics.log_metric(name, float(value))
    if metric not in scores:
        raise KeyError(f"evaluate() returned {sorted(scores)}, not the gated metric {metric!r}")
    return float(scores[metric])
