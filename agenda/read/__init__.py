"""Text in, model out: meeting files, member directories, notices in prose."""
