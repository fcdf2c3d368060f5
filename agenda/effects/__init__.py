"""What touches the world: files and their manifest, the issue record, SMTP, the clock."""
