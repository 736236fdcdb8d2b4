"""The HTML writer: an accessible, self-contained page for every document."""
