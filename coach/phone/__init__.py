"""The phone at hand: the session's board and remote, served on the local network (--phone)."""
