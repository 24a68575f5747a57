"""coach: an offline, voice-guided audio coach for sciatica exercises.

General information, not medical advice.
"""

__version__ = "0.1.0"
