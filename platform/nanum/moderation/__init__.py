"""Moderation and curation: site settings, the audit log and the moderators' pages."""
