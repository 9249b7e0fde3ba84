"""Benchmarks and their SYNTHETIC data generators; nothing here is part of the dataset."""
