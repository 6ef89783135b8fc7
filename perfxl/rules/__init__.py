"""Rules: the configuration of scoring, notation and checks, as a validated
TOML file (``default.toml`` beside this module is the national default)."""
