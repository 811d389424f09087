"""Watching, notifications and the mail queue that carries them by email."""
