"""Fields from prose: sentence splitting, dates, figures, places (gazetteer) and event patterns,
shared by article extraction and ACLED notes."""
