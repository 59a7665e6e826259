"""Python components of the batch_prediction template.

Each function becomes a lightweight component in `pipeline.py` (through `ctx.component`); its
body is shipped as source and runs in the consumer's image, so imports live inside it and the
consumer's functions are imported from `user` at run time.
"""
# ruff: noqa: PLC0415
# (bodies are shipped as source, so imports live inside them)

from kfp import dsl


def ingest(source: str, n_rows: int, seed: int, data: dsl.Output[dsl.Dataset]) -> int:
    """Read the rows to score from CSV or parquet, or make sample rows when `source` is ""."""
    import pandas as pd

    if source:
        frame = pd.read_parquet(source) if source.endswith(".parquet") else pd.read_csv(source)
    else:
        from sklearn.datasets import make_classification

        features, _ = make_classification(n_samples=n_rows, n_features=4, random_state=seed)
        frame = pd.DataFrame(features, columns=[f"x{i}" for i in range(features.shape[1])])
    frame.to_parquet(data.path, index=False)
    data.metadata["rows"] = len(frame)
    return len(frame)


def sample_model(seed: int, model: dsl.Output[dsl.Model]) -> None:
    """Fit a small scikit-learn classifier on sample rows: the model when `model_uri` is ""."""
    import pickle

    import pandas as pd
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    features, labels = make_classification(n_samples=200, n_features=4, random_state=seed)
    frame = pd.DataFrame(features, columns=[f"x{i}" for i in range(features.shape[1])])
    with open(model.path, "wb") as handle:
        pickle.dump(LogisticRegression(max_iter=1000).fit(frame, labels), handle)
    model.metadata["framework"] = "sklearn"


def predict(model: dsl.Input[dsl.Model], data: dsl.Input[dsl.Dataset],
            prediction_column: str, predictions: dsl.Output[dsl.Dataset]) -> int:
    """Load the model and score the rows with the consumer's code; write rows + predictions."""
    import pandas as pd
    from user.predict import load_model
    from user.predict import predict as user_predict

    frame = pd.read_parquet(data.path)
    scored = user_predict(load_model(model.path), frame)
    frame[prediction_column] = list(scored)
    frame.to_csv(predictions.path, index=False)
    predictions.metadata["rows"] = len(frame)
    return len(frame)
