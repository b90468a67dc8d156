"""The org chart: who reports to whom, as pages and JSON."""
