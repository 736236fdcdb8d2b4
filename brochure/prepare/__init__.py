"""Stage 2, prepare: fill placeholders, compose Markdown, make the document model."""
