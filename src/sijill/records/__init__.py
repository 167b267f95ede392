"""Casualty lists: reading, validating and normalizing rows, importing all or nothing, exporting."""
