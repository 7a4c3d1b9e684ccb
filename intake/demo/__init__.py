"""Generated demo and benchmark data: fake complaints, never real people."""
