"""Label scheme, gold-file format and validation for boilerplate, entities and stance.

This package knows documents only as text: it never touches Parquet or models.
"""
