"""Documents in, a versioned Parquet dataset out: ingestion, build, check and publishing."""
