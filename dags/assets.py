"""The Assets the DAGs hand each other, named once: the ingest DAG updates raw_documents, which schedules
build_warehouse; build_warehouse's publish updates serving_warehouse."""

from __future__ import annotations

from airflow.sdk import Asset

RAW_DOCUMENTS = Asset("raw_documents")
SERVING_WAREHOUSE = Asset("serving_warehouse")
