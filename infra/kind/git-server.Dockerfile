# The local platform's git server: serves the snapshot `runway up` takes of the repository to Argo CD, over git://
# on the kind network (read-only: the snapshot is mounted read-only and no push is enabled).
FROM alpine:3.22
RUN apk add --no-cache git-daemon \
  && git config --system --add safe.directory '*'
USER nobody
EXPOSE 9418
ENTRYPOINT ["git", "daemon", "--reuseaddr", "--export-all", "--base-path=/srv/git", "/srv/git"]
