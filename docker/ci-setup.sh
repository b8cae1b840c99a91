#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (as root) for Roost's container checks:
#   1. installs docker.io and debootstrap from Debian (one `apt-get update`, only if needed),
#   2. starts dockerd (vfs storage: works inside VMs and sandboxes without overlayfs) in the
#      background when no Docker daemon answers, and waits for it,
#   3. builds the local base image with docker/make-base.sh.
# Safe to run again: every step is skipped when already done. Exits non-zero on any failure.
#
# Environment: ROOST_DOCKERD_LOG (default /tmp/roost-dockerd.log),
#              ROOST_DOCKERD_WAIT seconds to wait for the daemon (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dockerd_log="${ROOST_DOCKERD_LOG:-/tmp/roost-dockerd.log}"
wait_s="${ROOST_DOCKERD_WAIT:-60}"

say() { printf '[ci-setup] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (installs packages and starts dockerd)"
start=$(date +%s)

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -q >&2 || die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
else
  say "docker.io and debootstrap already installed"
fi

if docker info >/dev/null 2>&1; then
  say "a Docker daemon already answers"
else
  say "starting dockerd --storage-driver=vfs (log: $dockerd_log)"
  # setsid: the daemon outlives this script and is not tied to its terminal.
  setsid dockerd --storage-driver=vfs >"$dockerd_log" 2>&1 < /dev/null &
  for ((i = 0; i < wait_s; i++)); do
    docker info >/dev/null 2>&1 && break
    kill -0 $! 2>/dev/null || { tail -n 20 "$dockerd_log" >&2; die "dockerd exited"; }
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -n 20 "$dockerd_log" >&2; die "dockerd did not answer within ${wait_s}s"; }
  say "dockerd is up after ${i}s"
fi

"$here/make-base.sh"
say "ready in $(( $(date +%s) - start ))s"
