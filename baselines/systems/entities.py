"""Entity baselines: each predicts flat (start, end, type) spans with OntoNotes types."""
