"""Audio: cue tones, speech clips, the renderer that turns a script into samples, and its sinks (live stream, files)."""
