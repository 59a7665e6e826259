"""Rules about the consumer's `config.yaml` (`CFG`)."""

from kfp_templates._rules._model import Family, Rule

_C = Family.CONSUMER
