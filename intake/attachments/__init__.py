"""Attachments: type from the bytes, size limits, storage in the database."""
