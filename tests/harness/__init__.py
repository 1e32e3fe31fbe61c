"""What the tests and benchmarks start and drive: scratch Airflow pipelines and their REST client, scratch
PostgreSQL databases, and the checks whether local services are up."""
