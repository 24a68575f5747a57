"""The live side: the guide that speaks and asks, answers and keys, the board on the screen,
and the conversations of a session and a test."""
