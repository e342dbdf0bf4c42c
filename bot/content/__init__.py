"""Content that police staff edit (YAML), loaded into strict, immutable models."""
