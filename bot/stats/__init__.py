"""Campaign figures for police and community staff: counts only, never message text."""
