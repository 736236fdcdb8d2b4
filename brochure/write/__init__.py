"""Stage 3, write: the writers that consume the document model, and safe file writes."""
