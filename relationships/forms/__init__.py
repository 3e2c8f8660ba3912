"""HTML forms of the relationship pages: gdap (GDAP relationships and assignments) and
invitations (sending, accepting, ending types, asking to end)."""
