"""Rules about the consumer's `user/` code (`USR`), found statically with `ast`."""

from kfp_templates._rules._model import Family

_C = Family.CONSUMER
