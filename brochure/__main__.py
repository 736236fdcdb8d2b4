"""Run the command line with `python -m brochure`."""

from .cli import main

main()
