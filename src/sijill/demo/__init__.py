"""The bundled demo investigation: visibly synthetic lists, structure, incidents and evidence."""
