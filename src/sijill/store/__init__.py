"""The case store: engine, sessions, schema, migrations and the change log."""
