"""Arabic and Latin name normalization and transliteration keys (shared layer)."""
