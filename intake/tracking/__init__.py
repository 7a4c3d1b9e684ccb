"""The complainant's side after filing: status look-up with tracking number and access code,
the messages between the office and the complainant, and the complainant's answers."""
