"""The staff side of a case: workflow, case page, notes, findings, recommendations."""
