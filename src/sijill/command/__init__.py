"""Command structure over time: units, posts, compositions, chains of command, careers."""
