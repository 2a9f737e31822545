"""Offline twin of the HTTP API: loopback HTTP -> API Gateway HTTP API v2 events -> handlers."""

from .gateway import HttpApiGateway, http_api_routes, start_gateway

__all__ = ["HttpApiGateway", "http_api_routes", "start_gateway"]
