"""Reference implementation of the functions the batch_prediction contract requires."""
