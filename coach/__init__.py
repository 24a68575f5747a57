"""coach: an offline, voice-guided audio coach for sciatica exercises.

General information, not medical advice.
"""


def __getattr__(name: str) -> str:
    """`coach.__version__`, from the installed package's metadata: pyproject.toml is its one source."""
    if name == "__version__":
        from importlib.metadata import version

        return version("coach")
    raise AttributeError(name)
