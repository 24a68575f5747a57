"""The pure core: exercises, routines and their dose plan, the session script and its controls,
the words. No clock, device, speech engine or database."""
