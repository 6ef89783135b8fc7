"""Test data: the random corpus for benchmarks and reader tests, and the
builders of the shipped samples. Product code never imports this package
except ``perfxl generate``."""
