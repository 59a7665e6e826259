"""Static checks of a consumer project against its contract: user/ code, components, declared
dependencies, config, copier update leftovers, links (the contract itself: kfp_templates.contract).

Nothing in this package imports kfp or google-cloud-aiplatform, or runs the consumer's code.
"""
