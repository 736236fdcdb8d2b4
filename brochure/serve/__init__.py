"""`brochure serve`: a local web preview for authors. `site` builds what is shown (with
the pipeline, into memory), `pages` makes the HTML of the preview's own pages, `watch`
notices saved files, `server` answers the browser and pushes each rebuild to it."""
