"""Quality tools over a rule pack: rule test cases as data run through the engine and the
scorer (``ruletest``). May import every stage up to ``scoring``.
"""
