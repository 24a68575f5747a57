"""Storage: where the person's files live, the history database, the config file, reports, atomic writes."""
