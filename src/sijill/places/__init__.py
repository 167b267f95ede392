"""Gazetteer (Arabic and Latin names, admin hierarchy, coordinates) and place matching."""
