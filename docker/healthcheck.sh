#!/bin/bash
# Container health probe: GET /health/live on the admin port with bash's /dev/tcp, so the image
# needs neither curl nor a second JVM. Exit 0 only on an HTTP 200.
port="${ROOST_ADMIN_PORT:-8080}"
host="${ROOST_ADMIN_ADDRESS:-127.0.0.1}"
case "$host" in 0.0.0.0|::|'[::]'|'') host=127.0.0.1 ;; esac
exec 3<>"/dev/tcp/$host/$port" || exit 1
printf 'GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ $status == HTTP/1.[01]\ 200* ]]
