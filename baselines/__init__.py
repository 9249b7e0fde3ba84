"""Evaluation: tasks turn the dataset into inputs and gold answers, systems predict, metrics score."""
