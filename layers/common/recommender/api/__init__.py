"""The runtime HTTP API: routes on Powertools' event handler, pydantic request/response models."""
