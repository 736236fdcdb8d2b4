"""Stage 1, load: content/ and layouts/ into the content model, with every problem found."""
