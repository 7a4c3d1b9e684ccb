"""Documents filed with a complaint: stored in the database, typed from their bytes."""
