"""The command line: one module per verb, and the only place that prints or turns typed errors
into exit codes (0 ok, 1 bad input, 2 usage, 3 a bug). Sits on top: may import anything in
riskengine, nothing imports it.
"""

from riskengine.cli.app import main

__all__ = ["main"]
