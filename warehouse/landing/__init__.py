"""The raw landing stage: the records scrapers hand over (records.py), the one writer that checks them for
admission and lands them (writer.py), the append-only raw layer that keeps them (store.py, its schema brought up
to date by numbered migrations, migrations.py), and a plain-text account of what it holds (report.py)."""
