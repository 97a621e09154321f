"""Projects: operational projects flanking the dialogue and their results."""
