"""Incidents: places, fuzzy dates, violation types, victims, alleged perpetrators, evidence."""
