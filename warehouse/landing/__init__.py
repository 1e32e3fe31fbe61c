"""The raw landing stage: the records scrapers hand over (records.py), the append-only raw layer that keeps
them (store.py), and a plain-text account of what it holds (report.py)."""
