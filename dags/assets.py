"""The Assets the DAGs hand each other, named once: the ingest DAG updates raw_documents, which schedules
build_warehouse; build_warehouse's audit updates warehouse_audit (passed or failed, with what failed) and
its publish serving_warehouse."""

from __future__ import annotations

from airflow.sdk import Asset

RAW_DOCUMENTS = Asset("raw_documents")
WAREHOUSE_AUDIT = Asset("warehouse_audit")
SERVING_WAREHOUSE = Asset("serving_warehouse")
