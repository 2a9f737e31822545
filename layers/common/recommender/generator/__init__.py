"""Synthetic first training data: users who mostly like images of their own emotion."""
