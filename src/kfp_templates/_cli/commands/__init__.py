"""One module per subcommand; see `kfp_templates._cli.main` for the protocol."""
