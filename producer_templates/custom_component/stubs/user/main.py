# Generated from the template's contract by `kfp-templates stubs`; this file is yours.
"""user.main: functions required by the custom_component template."""


def component() -> None:
    """Your component. Every parameter needs a KFP annotation; defaults must be literals.
    Import what the body needs inside it or at the top of user/main.py.
    """
    raise NotImplementedError(
        "write user.main:component in user/main.py (see template_pipeline/README.md)"
    )
