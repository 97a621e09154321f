"""Library: documents, good practices and country profiles."""
