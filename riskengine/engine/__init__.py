"""Stage 3, matching: engines that take compiled rules (the IR) and facts and return firings.

``matching`` is the one entry point (the ``Matcher`` protocol and ``open_matcher``); ``durable``
is the only package in riskengine that imports durable-rules; ``reference`` is the pure-Python
evaluator the property-based tests use as the oracle. The two share no condition or join code,
so a bug in one cannot hide in both. The one piece they share is ``riskengine.core.regex``
(compiling a rule's ``matches`` pattern for RE2, a linear-time matcher), which has tests of its
own (tests/test_regex.py). May import ``core`` and ``rules``.
"""
