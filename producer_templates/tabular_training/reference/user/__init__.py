"""Reference implementation of the functions the tabular_training contract requires."""
