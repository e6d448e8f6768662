"""One module per CLI verb; see riskengine.cli.COMMAND_MODULES."""
