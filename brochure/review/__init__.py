"""What a reviewer asks of a document: is its translation current and checked, does it
read plainly, and is it fit to hand to a patient (the release gate)."""
