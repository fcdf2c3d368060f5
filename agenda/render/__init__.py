"""Plans in, text or bytes out: tables, JSON, agenda documents, iCalendar, e-mail messages."""
