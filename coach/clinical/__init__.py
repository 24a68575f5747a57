"""The clinical rules: safety questions, how the body responded, which direction to follow, trends and when to get seen."""
