"""Your code for the custom_component template pipeline.

The functions its contract requires (template_pipeline/contract.yaml) live in the
modules of this package; `kfp-templates validate` checks them.
"""
