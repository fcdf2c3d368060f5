"""The domain: frozen dataclasses, ids, time, working hours, holidays, agenda numbering."""
