"""One-page PDF briefs of practices, for a council: built, fitted to a page and kept."""
