"""Scrapers: fetch disclosure pages politely, parse them into documents, land them in the raw layer."""
