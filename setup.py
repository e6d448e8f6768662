"""The one thing pyproject.toml cannot say: the C extension (README, Dependencies and build).

``riskengine.core._native`` does in C the backtest's per-event work that costs most as Python
(the light reader's checks, rows, keys, the pattern stage's filing). It is optional: where it
cannot be built (no compiler), the package installs without it and runs the same steps in
Python (``fast_events.decode_lines_python`` and the others the README lists), which give the
same results, more slowly.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "riskengine.core._native",
            sources=["riskengine/core/_native.c"],
            extra_compile_args=["-O2"],
            optional=True,
        )
    ]
)
