"""Atom feeds of published practices: latest, per SDG, theme, organisation, collection and
search."""
