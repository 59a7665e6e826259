"""The package wins over user/train.py when both exist."""
