"""Other organisations' published figures, with their scope, beside the case's own count."""
