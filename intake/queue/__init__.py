"""The review queue: lists of complaints with filters, search and keyset pages."""
