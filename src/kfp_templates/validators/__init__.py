"""Static validators: contracts, consumers' user/ code and config, copier update leftovers.

Nothing in this package imports kfp or google-cloud-aiplatform, or runs the consumer's code.
"""
