"""Your code for the batch_prediction template pipeline.

The functions its contract requires (template_pipeline/contract.yaml) live in the
modules of this package; `kfp-templates validate` checks them.
"""
