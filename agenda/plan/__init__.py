"""Model in, decisions out: schedules, findings, suggestions, checklists, invitation versions."""
