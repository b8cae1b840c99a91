{{/* Chart name, truncated to the 63 characters a DNS label allows. */}}
{{- define "roost.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart unless the release name already contains it. */}}
{{- define "roost.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "roost.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "roost.selectorLabels" -}}
app.kubernetes.io/name: {{ include "roost.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "roost.labels" -}}
helm.sh/chart: {{ include "roost.chart" . }}
{{ include "roost.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "roost.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "roost.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The mail listeners in a fixed order, as a list of names. */}}
{{- define "roost.listenerNames" -}}
imap imaps pop3 pop3s
{{- end }}

{{/* Name of the Secret holding the passwd-file, or "" when there is none. */}}
{{- define "roost.passwdSecret" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecret }}
{{- else if .Values.auth.passwdFile }}{{ include "roost.fullname" . }}
{{- end }}
{{- end }}

{{- define "roost.passwdSecretKey" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretKey }}{{ else }}passwd{{ end }}
{{- end }}

{{/* Name of the kubernetes.io/tls Secret, or "" for Roost's self-signed pair. */}}
{{- define "roost.tlsSecret" -}}
{{- if .Values.tls.existingSecret }}{{ .Values.tls.existingSecret }}
{{- else if and .Values.tls.certificate .Values.tls.key }}{{ include "roost.fullname" . }}-tls
{{- end }}
{{- end }}

{{- define "roost.adminSecret" -}}
{{- default (include "roost.fullname" .) .Values.admin.existingSecret }}
{{- end }}

{{- define "roost.adminSecretKey" -}}
{{- if .Values.admin.existingSecret }}{{ .Values.admin.existingSecretKey }}{{ else }}admin-token{{ end }}
{{- end }}

{{/*
The admin token the chart manages: the given one, else the one already stored in the cluster
(so upgrades keep it), else a new random one.
*/}}
{{- define "roost.adminToken" -}}
{{- if .Values.admin.token }}
{{- .Values.admin.token }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "roost.fullname" .) }}
{{- if and $existing (index $existing.data "admin-token") }}
{{- index $existing.data "admin-token" | b64dec }}
{{- else }}
{{- randAlphaNum 40 }}
{{- end }}
{{- end }}
{{- end }}

{{/* roost.yaml as a dict, before config.extra is merged over it. */}}
{{- define "roost.config" -}}
{{- $listeners := dict }}
{{- range $name := splitList " " (include "roost.listenerNames" .) }}
{{- $l := index $.Values.listeners $name }}
{{- $_ := set $listeners $name (dict "address" $.Values.listeners.address "port" (int $l.containerPort) "enabled" $l.enabled "proxyProtocol" $.Values.proxyProtocol.enabled) }}
{{- end }}
{{- $auth := dict "secureNetworks" .Values.auth.secureNetworks }}
{{- if include "roost.passwdSecret" . }}
{{- $_ := set $auth "passwdFile" "/etc/roost/auth/passwd" }}
{{- end }}
{{- $config := dict
      "data" "/var/lib/roost/state"
      "listeners" $listeners
      "admin" (dict "address" .Values.listeners.address "port" (int .Values.admin.containerPort))
      "auth" $auth
      "mail" (dict "location" "maildir:/var/lib/roost/mail/%u" "fsync" .Values.config.fsync) }}
{{- if include "roost.tlsSecret" . }}
{{- $_ := set $config "tls" (dict "certificate" "/etc/roost/tls/tls.crt" "key" "/etc/roost/tls/tls.key") }}
{{- end }}
{{- if .Values.config.limits }}
{{- $_ := set $config "limits" .Values.config.limits }}
{{- end }}
{{- if .Values.proxyProtocol.enabled }}
{{- $_ := set $config "proxy" (dict "trustedNetworks" .Values.proxyProtocol.trustedNetworks) }}
{{- end }}
{{- toYaml (mergeOverwrite $config (deepCopy .Values.config.extra)) }}
{{- end }}
