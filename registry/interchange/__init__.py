"""Import and export in the `dpa-registry/1` interchange format (JSON, spreadsheets, CSV)."""
