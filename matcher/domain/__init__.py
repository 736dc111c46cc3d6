"""Domain types: the interchange records and the canonical vocabularies. No IO here."""
