"""Discussions: threads under practices and topics in categories."""
