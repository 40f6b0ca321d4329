"""Optional OpenTelemetry traces: one span per HTTP request, sent over OTLP/HTTP to
TEJIDO_OTEL_ENDPOINT. Off unless that is set; the packages come with `pip install tejido[otel]`."""

from __future__ import annotations

from fastapi import FastAPI

from service.config import Settings
from service.errors import ConfigError
from service.i18n import _


def instrument(app: FastAPI, settings: Settings) -> None:
    if not settings.otel_endpoint:
        return
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        raise ConfigError(
            _(
                "TEJIDO_OTEL_ENDPOINT is set but OpenTelemetry is not installed: "
                'pip install "tejido[otel]"'
            )
        ) from None
    provider = TracerProvider(resource=Resource.create({"service.name": "tejido"}))
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otel_endpoint))
    )
    trace.set_tracer_provider(provider)
    app.add_middleware(OpenTelemetryMiddleware)
