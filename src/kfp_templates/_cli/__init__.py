"""The command-line interface: argument parsing, one module per subcommand, exit codes."""
