"""Rules: the configuration of scoring, notation and checks, as a validated
TOML file. ``default.toml`` beside this module is the national default,
``sets/`` holds the named province and platform sets (each citing its source);
``files`` reads a file (GBK too) and resolves ``base``, ``typed`` turns the
merged table into the dataclasses of ``schema``, refusing anything else."""
