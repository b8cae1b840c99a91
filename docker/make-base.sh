#!/usr/bin/env bash
# Builds the local base image for Roost (default tag roost-base:local) from Debian packages only:
# a debootstrap --variant=minbase root of Debian trixie plus a headless JRE >= 21, imported with
# `docker import`. This exists because no container registry is reachable where Roost is built
# and tested; users elsewhere build the Dockerfile on its default public base instead.
#
# Idempotent: does nothing when the image already exists. Cacheable: the root tarball is kept in
# .tools/base/ (git-ignored), so a lost image is re-imported without downloading again.
#
# Environment (all optional):
#   ROOST_BASE_IMAGE  image tag to produce            (default roost-base:local)
#   ROOST_BASE_SUITE  Debian suite                    (default trixie)
#   ROOST_BASE_JRE    JRE package(s), space separated (default openjdk-21-jre-headless)
#   ROOST_BASE_MIRROR Debian mirror                   (default: first one in /etc/apt/sources.list*)
#   ROOST_BASE_CACHE  cache directory                 (default <repo>/.tools/base)
#   ROOST_BASE_FORCE  1 = rebuild even if image/tarball exist
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="${ROOST_BASE_IMAGE:-roost-base:local}"
suite="${ROOST_BASE_SUITE:-trixie}"
jre="${ROOST_BASE_JRE:-openjdk-21-jre-headless}"
cache="${ROOST_BASE_CACHE:-$repo_root/.tools/base}"
force="${ROOST_BASE_FORCE:-0}"
tarball="$cache/rootfs-$suite.tar"

say() { printf '[make-base] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# The first plain Debian archive URI the machine's apt already uses (deb822 or one-line format).
configured_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list)
  local f uri
  for f in "${files[@]}"; do
    [[ -r $f ]] || continue
    uri="$(grep -hoE '(https?://[^ ]+/debian)/?( |$)' "$f" | grep -v security | head -n1 | tr -d ' ' || true)"
    if [[ -n $uri ]]; then printf '%s\n' "${uri%/}"; return; fi
  done
  printf 'http://deb.debian.org/debian\n'
}

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (start one, e.g. docker/ci-setup.sh)"

if [[ $force != 1 ]] && docker image inspect "$image" >/dev/null 2>&1; then
  say "image $image already exists; nothing to do (ROOST_BASE_FORCE=1 rebuilds)"
  exit 0
fi

start=$(date +%s)
mkdir -p "$cache"

if [[ $force == 1 || ! -s $tarball ]]; then
  [[ $(id -u) == 0 ]] || die "debootstrap needs root"
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
  fi
  mirror="${ROOST_BASE_MIRROR:-$(configured_mirror)}"
  rootfs="$cache/rootfs-$suite"
  rm -rf "$rootfs" "$tarball.part"
  include="ca-certificates,${jre// /,}"
  say "debootstrap --variant=minbase $suite from $mirror with $include"
  debootstrap --variant=minbase --include="$include" "$suite" "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 30 "$cache/debootstrap.log" >&2; die "debootstrap failed (full log: $cache/debootstrap.log)"; }

  say "checking the JRE inside the root"
  # The java launcher finds libjli.so through /proc/self/exe, so the check needs /proc.
  mount -t proc proc "$rootfs/proc"
  java_ok=0
  chroot "$rootfs" java -version 2>&1 | sed 's/^/[make-base]   /' >&2 && java_ok=1
  umount "$rootfs/proc"
  [[ $java_ok == 1 ]] || die "java does not run inside the new root"

  say "trimming apt lists, caches and docs"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
         "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
         "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/*
  # The image's apt should find the same mirror the root came from.
  printf 'deb %s %s main\n' "$mirror" "$suite" >"$rootfs/etc/apt/sources.list"

  say "packing $tarball"
  tar --numeric-owner --xattrs -C "$rootfs" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  rm -rf "$rootfs"
else
  say "reusing cached root tarball $tarball"
fi

# JAVA_HOME as the Temurin images set it, so launchers need not search for a JVM.
java_home="$(tar -tf "$tarball" | sed -n 's#^\./\(usr/lib/jvm/java-[0-9]*-openjdk-[a-z0-9]*\)/bin/java$#/\1#p' | sed -n 1p)"
[[ -n $java_home ]] || die "no JVM found under /usr/lib/jvm in $tarball"
say "docker import $tarball as $image (JAVA_HOME=$java_home)"
docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change "ENV JAVA_HOME=$java_home" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  --message "Debian $suite minbase + $jre (roost docker/make-base.sh)" \
  "$tarball" "$image" >/dev/null

docker run --rm "$image" java -version 2>&1 | sed -n '1s/^/[make-base] image java: /p' >&2
say "done in $(( $(date +%s) - start ))s: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
