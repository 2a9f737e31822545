"""Logger, Tracer and Metrics shared by every function, created once per container.

Service name, log level and metrics namespace come from the POWERTOOLS_* variables that
template.yaml sets in Globals.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()
