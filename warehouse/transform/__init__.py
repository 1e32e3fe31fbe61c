"""The transform stage: dbt run against a raw layer and a warehouse file (dbt.py, on PostgreSQL
dbt_on_postgres.py), and the Python the dbt models call to turn text into facts (extraction/)."""
