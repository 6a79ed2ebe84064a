# quizbot in a container: `docker compose up -d` with compose.yaml (docs/teacher-guide.md).
# The database and your own articles and banks (content/) live on a volume at /var/lib/quizbot;
# the token comes from the environment.

FROM python:3.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/quizbot
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY quizzes ./quizzes
COPY storage ./storage
COPY seeds ./seeds
RUN /opt/quizbot/bin/pip install . && /opt/quizbot/bin/quizbot --version

FROM python:3.12-slim-bookworm
# A fixed uid, so files on the volume keep one owner across rebuilds.
RUN groupadd --system --gid 10001 quizbot \
    && useradd --system --uid 10001 --gid quizbot --home-dir /var/lib/quizbot --no-log-init quizbot \
    && mkdir -p /var/lib/quizbot /var/backups/quizbot \
    && chown quizbot:quizbot /var/lib/quizbot /var/backups/quizbot
COPY --from=build /opt/quizbot /opt/quizbot
ENV PATH=/opt/quizbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HOME=/var/lib/quizbot \
    QUIZBOT_DB=/var/lib/quizbot/quizbot.sqlite3 \
    QUIZBOT_CONTENT=/var/lib/quizbot/content
USER 10001:10001
WORKDIR /var/lib/quizbot
VOLUME ["/var/lib/quizbot"]
# SIGTERM (docker stop) stops polling and closes the database cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["quizbot"]
CMD ["run"]
