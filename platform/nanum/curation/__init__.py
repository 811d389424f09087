"""Curation: featured practices, collections and calls for contributions."""
