"""Pictures a senior sends (screenshots of an SMS or a chat): opened, read offline, cleaned."""
