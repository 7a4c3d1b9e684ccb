"""PDFs: one rendering function, receipts, case summaries, letters and bulk exports."""
