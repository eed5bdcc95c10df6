# The local platform's git server: serves the snapshot `runway up` takes of the repository to Argo CD, over git://
# on the kind network (read-only: the snapshot is mounted read-only and no push is enabled).
# alpine 3.22.1, pinned by its multi-arch index digest (the one Docker Hub publishes for the tag): a tag can move.
FROM alpine:3.22.1@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1
RUN apk add --no-cache git-daemon \
  && git config --system --add safe.directory '*'
USER nobody
EXPOSE 9418
ENTRYPOINT ["git", "daemon", "--reuseaddr", "--export-all", "--base-path=/srv/git", "/srv/git"]
