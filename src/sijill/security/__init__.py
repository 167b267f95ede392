"""Users, roles, access levels, field encryption and redaction (shared layer)."""
