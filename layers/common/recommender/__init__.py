"""Shared code of the emotion image recommender: configuration, clients, Personalize helpers."""
