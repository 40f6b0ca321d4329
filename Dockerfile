# The Tejido API. `docker compose up` runs it against Neo4j 5 (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY cypher ./cypher
COPY seed_data ./seed_data
# The example operations GraphiQL opens as tabs (service/graphiql), read beside the package.
COPY graphql ./graphql
# Editable install: the Cypher catalog is read from /app/cypher beside the package.
RUN pip install -e . && useradd --system --uid 10001 tejido
USER tejido
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["tejido", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
