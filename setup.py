"""The one thing pyproject.toml cannot say: the C extension (README, Dependencies and build).

``riskengine.core._native`` does the light reader's per-event checks in C. It is optional: where it
cannot be built (no compiler), the package installs without it and runs the same checks in
Python (``fast_events.decode_lines_python``), which give the same results, more slowly.
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
