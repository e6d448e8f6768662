"""Stage 3, matching: engines that take compiled rules (the IR) and facts and return firings.

``matching`` is the one entry point (the ``Matcher`` protocol and ``open_matcher``); ``durable``
is the only package in riskengine that imports durable-rules; ``reference`` is the pure-Python
evaluator the property-based tests use as the oracle. The two share no condition or join code,
so a bug in one cannot hide in both. May import ``core`` and ``rules``.
"""
