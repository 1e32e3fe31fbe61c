"""The release stage: the quality gate (audit), publishing to the serving file, the PostgreSQL serving copy,
and the order of those steps (steps.py) that the DAG and `make publish` share."""
