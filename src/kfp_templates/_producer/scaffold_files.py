"""The files `new-template NAME` writes: a minimal one-step template that passes `producer check`.

It uses the same template-authoring API as the bundled templates (`TemplateContext`:
`ctx.component`, `ctx.param`, `ctx.step`), one consumer function (`user.process.process`) and a
Dataset artifact, so producers start from something that compiles and runs, then grow it.
`__NAME__` stands for the template's name.
"""

from __future__ import annotations

CONTRACT = """\
# Contract of the __NAME__ template: what consumers write in user/ and put in config.yaml.
# Format: docs/reference/contract.md. After editing, run `kfp-templates stubs` and
# `kfp-templates producer check`.
contract_format: 1
name: __NAME__
version: 0.1.0
min_tool_version: "0.1"
description: >-
  One step: the template passes `parameters.message` to your `process` function and stores what it
  returns as a text Dataset.
pipeline:
  module: pipeline
  function: __NAME__
  steps: [process]
functions:
  - module: user.process
    name: process
    doc: Turn the configured message into the text the pipeline stores.
    parameters:
      - {name: message, annotation: str, description: The configured parameters.message.}
      - {name: repeat, annotation: int, kind: keyword_only, default: allowed, stub_default: 1}
    returns: str
    examples:
      - name: hello
        args: {message: hello}
        returns_type: str
requirements:
  - kfp>=2.17,<3
base_image: python:3.11-slim
config:
  schema:
    type: object
    additionalProperties: false
    properties:
      parameters:
        type: object
        additionalProperties: false
        default: {}
        properties:
          message: {type: string, default: hello, description: Text passed to process().}
          repeat: {type: integer, minimum: 1, default: 1, description: How often to repeat it.}
      steps:
        type: object
        additionalProperties: false
        default: {}
        properties:
          process: {$ref: "urn:kfp-templates:config#/$defs/task_options"}
      gcp: {$ref: "urn:kfp-templates:config#/$defs/gcp", default: {}}
      image: {$ref: "urn:kfp-templates:config#/$defs/image", default: {}}
      run: {$ref: "urn:kfp-templates:config#/$defs/run", default: {}}
"""

PIPELINE = '''\
"""__NAME__: one step that calls the consumer's `user.process.process`.

The factory below builds the pipeline for one compile: `ctx` carries the consumer's image and
config (see kfp_templates._kfp.context.TemplateContext).
"""

from typing import TYPE_CHECKING, Any

from kfp import dsl

from . import components

if TYPE_CHECKING:
    from kfp_templates import TemplateContext


def __NAME__(ctx: "TemplateContext") -> Any:
    """Build the __NAME__ pipeline for the consumer's image and config."""
    process = ctx.component(components.process)

    @dsl.pipeline(name="__DASHED__", description="Call the consumer's process() once.")
    def pipeline(message: str = ctx.param("message"), repeat: int = ctx.param("repeat")) -> None:
        ctx.step(process(message=message, repeat=repeat), "process")

    return pipeline
'''

COMPONENTS = '''\
"""Python components of the __NAME__ template.

Each body is shipped as source and runs in the consumer's image, so imports belong inside it and
the consumer's code is imported from `user` at run time.
"""

from kfp import dsl


def process(message: str, repeat: int, text: dsl.Output[dsl.Dataset]) -> str:
    """Call the consumer's `process` and store its result as a text Dataset."""
    from user.process import process as user_process

    result = user_process(message, repeat=repeat)
    with open(text.path, "w", encoding="utf-8") as handle:
        handle.write(result)
    text.metadata["characters"] = len(result)
    return result
'''

PACKAGE_INIT = '"""The __NAME__ template pipeline (imported as a package by kfp-templates)."""\n'

REFERENCE_INIT = '"""Reference implementation of the __NAME__ contract."""\n'

REFERENCE_PROCESS = '''\
"""Reference `process` of the __NAME__ template."""


def process(message: str, *, repeat: int = 1) -> str:
    """Turn the configured message into the text the pipeline stores."""
    return " ".join([message] * repeat)
'''

REFERENCE_CONFIG = """\
# Reference config of __NAME__: small enough to run locally in seconds.
parameters:
  message: hello from the reference implementation
  repeat: 2
image:
  name: __DASHED__-reference
run:
  local:
    pipeline_root: local_outputs
    step_timeout_seconds: 120
"""

README = """\
# __NAME__

One step: the pipeline passes `parameters.message` to your `process` function and stores what it
returns as a text Dataset.

## What you write

`user/process.py`:

```python
def process(message: str, *, repeat: int = 1) -> str:
    ...
```

`kfp-templates templates show __NAME__` renders the whole contract; `kfp-templates validate`
checks your code against it.

## Config

| key | default | what |
|---|---|---|
| `parameters.message` | `hello` | text passed to `process()` |
| `parameters.repeat` | `1` | how often to repeat it |
| `steps.process` | | task options (cpu, memory, retries, ...) |
"""

CHANGELOG = """\
# Changelog of __NAME__

Each release of kfp-templates that changes this template gets a `## VERSION` heading (the
release tag's version), newest first; `kfp-templates release` checks for it.

## Unreleased

- Scaffolded with `kfp-templates new-template __NAME__`.
"""

FILES = (
    ("contract.yaml", CONTRACT),
    ("__init__.py", PACKAGE_INIT),
    ("pipeline.py", PIPELINE),
    ("components.py", COMPONENTS),
    ("reference/user/__init__.py", REFERENCE_INIT),
    ("reference/user/process.py", REFERENCE_PROCESS),
    ("reference/config.yaml", REFERENCE_CONFIG),
    ("README.md", README),
    ("CHANGELOG.md", CHANGELOG),
)
