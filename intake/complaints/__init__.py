"""Filing a complaint: the public, step-by-step form, its drafts and the submission."""
