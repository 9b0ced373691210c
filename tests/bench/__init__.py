"""Evaluation and benchmark scripts; each takes the paths of the data it reads."""
