"""Appointment emails: an export of appointments becomes, for each patient, one
message with their personalised leaflets and a calendar invitation, sent once.

appointments reads and checks the rows; addresses checks and encodes email
addresses; messages and invitations compose a message; delivery hands it to an
outbox or an SMTP server; sentlog remembers what was handed over; report holds
each row's outcome; batch runs the whole file."""
