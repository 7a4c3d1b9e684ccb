"""The complainant's side after filing: status look-up with tracking number and access code,
and the messages the office sends."""
