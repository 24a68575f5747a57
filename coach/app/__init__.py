"""The application: one function per job a command does (run a session, run a test, export, list), wiring the layers below."""
