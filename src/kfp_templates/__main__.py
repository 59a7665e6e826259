"""`python -m kfp_templates`: the same as the `kfp-templates` console script."""

from kfp_templates._cli.main import main

raise SystemExit(main())
