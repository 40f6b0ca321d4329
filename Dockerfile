# The Tejido API. `docker compose up` runs it against Neo4j 5 (see docker-compose.yml).
# Build stage: the wheel, exactly what `pip wheel .` gives anyone (tools/test-installed-wheel).
FROM python:3.11.14-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11.14-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 TEJIDO_ENV=production
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels \
 && useradd --system --uid 10001 --gid 0 --home-dir /app tejido
WORKDIR /app
# The fictional seed, for `tejido load /app/seed_data`; the package itself carries the rest.
COPY seed_data ./seed_data
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --retries=5 \
  CMD ["python", "-m", "service.healthcheck", "http://127.0.0.1:8000/readyz"]
CMD ["tejido", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
