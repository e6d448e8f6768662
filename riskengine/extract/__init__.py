"""Events from article text and from ACLED exports."""
