"""Reference data: US states and counties, countries, and the complaint's categories."""
