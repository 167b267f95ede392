"""The accountability record: proceedings about incidents, persons and units, and the status of
everyone alleged, derived from them and from the command model."""
