"""Subcommands of ``lawsup``: each module has ``register(subparsers)`` and ``run(args, folder)``."""
