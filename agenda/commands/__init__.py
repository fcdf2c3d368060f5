"""One module per `som` command; each defines `command`. Only click is imported at the top."""
