"""Stage 3, write: the writers that consume the document model, and safe file writes."""

# The formats `brochure build` writes, each by its own writer (write/pdf, write/html);
# a file's suffix is its format.
FORMATS = ("pdf", "html")
