"""The Personalize lifecycle: idempotent "ensure" steps driven by the lifecycle state machine.

Every step receives ``{"config": ..., "steps": ...}`` (the validated execution input and the
results of earlier steps) and returns its own result, which the state machine stores under
``$.steps.<step>``. A result with ``ready: false`` carries ``waitSeconds`` for the next Wait.
"""
