"""Staff accounts: roles, passwords (argon2id), TOTP two-factor, server-side sessions."""
