"""Feature extractors shared by the baselines: pure functions of the text a system is given."""
