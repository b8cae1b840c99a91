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
imap imaps pop3 pop3s managesieve
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

{{/*
The files the user databases read, one row each: section, its *From value, the file under
/etc/roost/userdb/, and the config key naming the file ("-": none, the file is for the SQL url).
*/}}
{{- define "roost.userdbFileRows" -}}
sql passwordFrom sql-password passwordFile
sql caFrom sql-ca.pem -
ldap caFrom ldap-ca.pem caFile
ldap bindPasswordFrom ldap-bind-password bindPasswordFile
oauth2 clientSecretFrom oauth2-client-secret clientSecretFile
oauth2 caFrom oauth2-ca.pem caFile
{{- end }}

{{/* Whether a user database section is configured: "true" or "". */}}
{{- define "roost.userdbActive" -}}
{{- $s := index .root.Values.auth .section }}
{{- if or (and (eq .section "sql") $s.url) (and (eq .section "ldap") $s.uris) (and (eq .section "oauth2") (or $s.jwksUrl $s.introspectionUrl)) }}true{{ end }}
{{- end }}

{{/*
The user database files to mount, as JSON {"files": [{section, configKey, path, secret,
configMap, key}]}: the rows whose *From names a Secret or ConfigMap, in active sections.
Passwords come from Secrets only.
*/}}
{{- define "roost.userdbFiles" -}}
{{- $files := list }}
{{- range $row := splitList "\n" (include "roost.userdbFileRows" .) }}
{{- $f := splitList " " $row }}
{{- $section := index $f 0 }}
{{- $from := index (index $.Values.auth $section) (index $f 1) }}
{{- $where := printf "auth.%s.%s" $section (index $f 1) }}
{{- if and $from.secret $from.configMap }}
{{- fail (printf "%s: name a secret or a configMap, not both" $where) }}
{{- end }}
{{- if and $from.configMap (not (hasSuffix ".pem" (index $f 2))) }}
{{- fail (printf "%s: a password belongs in a Secret, not a ConfigMap" $where) }}
{{- end }}
{{- if and (or $from.secret $from.configMap) (include "roost.userdbActive" (dict "root" $ "section" $section)) }}
{{- $files = append $files (dict "section" $section "configKey" (index $f 3) "path" (index $f 2) "secret" ($from.secret | default "") "configMap" ($from.configMap | default "") "key" $from.key) }}
{{- end }}
{{- end }}
{{- toJson (dict "files" $files) }}
{{- end }}

{{/*
The auth sections for SQL, LDAP, OAuth 2.0 and the cache, as JSON: the values that are set
(empty strings, lists, maps and nulls are left to Roost's defaults), without the *From keys,
with the *File keys of the mounted files.
*/}}
{{- define "roost.userdbSections" -}}
{{- $sections := dict }}
{{- range $name := list "sql" "ldap" "oauth2" "cache" }}
{{- $section := dict }}
{{- range $key, $value := index $.Values.auth $name }}
{{- $unset := or (kindIs "invalid" $value) (and (or (kindIs "string" $value) (kindIs "slice" $value) (kindIs "map" $value)) (empty $value)) }}
{{- if not (or $unset (hasSuffix "From" $key)) }}
{{- $_ := set $section $key $value }}
{{- end }}
{{- end }}
{{- if or (include "roost.userdbActive" (dict "root" $ "section" $name)) (and (eq $name "cache") $section) }}
{{- $_ := set $sections $name $section }}
{{- end }}
{{- end }}
{{- range $file := (include "roost.userdbFiles" . | fromJson).files }}
{{- if ne $file.configKey "-" }}
{{- $_ := set (index $sections $file.section) $file.configKey (printf "/etc/roost/userdb/%s" $file.path) }}
{{- end }}
{{- end }}
{{- toJson $sections }}
{{- end }}

{{/* Fails when a secret would land in the ConfigMap (from auth.* or config.extra). */}}
{{- define "roost.refuseSecretsInConfig" -}}
{{- $auth := .auth | default dict }}
{{- range $rule := list "sql password passwordFrom" "ldap bindPassword bindPasswordFrom" "oauth2 clientSecret clientSecretFrom" }}
{{- $r := splitList " " $rule }}
{{- $section := index $auth (index $r 0) | default dict }}
{{- if and (kindIs "map" $section) (hasKey $section (index $r 1)) }}
{{- fail (printf "auth.%s.%s would be stored in the ConfigMap: put it in a Secret and name it in auth.%s.%s" (index $r 0) (index $r 1) (index $r 0) (index $r 2)) }}
{{- end }}
{{- end }}
{{- if hasKey (.admin | default dict) "token" }}
{{- fail "admin.token would be stored in the ConfigMap: set the chart's admin.token or admin.existingSecret instead of config.extra" }}
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
{{- with .Values.auth.databases }}
{{- $_ := set $auth "databases" . }}
{{- end }}
{{- with .Values.auth.mechanisms }}
{{- $_ := set $auth "mechanisms" . }}
{{- end }}
{{- $auth = merge $auth (include "roost.userdbSections" . | fromJson) }}
{{- $config := dict
      "data" "/var/lib/roost/state"
      "listeners" $listeners
      "admin" (dict "address" .Values.listeners.address "port" (int .Values.admin.containerPort))
      "auth" $auth
      "mail" (include "roost.mailConfig" . | fromJson) }}
{{- if include "roost.tlsSecret" . }}
{{- $_ := set $config "tls" (dict "certificate" "/etc/roost/tls/tls.crt" "key" "/etc/roost/tls/tls.key") }}
{{- end }}
{{- if .Values.config.limits }}
{{- $_ := set $config "limits" .Values.config.limits }}
{{- end }}
{{- if .Values.proxyProtocol.enabled }}
{{- $_ := set $config "proxy" (dict "trustedNetworks" .Values.proxyProtocol.trustedNetworks) }}
{{- end }}
{{- $config = mergeOverwrite $config (deepCopy .Values.config.extra) }}
{{- include "roost.refuseSecretsInConfig" $config }}
{{- toYaml $config }}
{{- end }}

{{/*
The mail section of roost.yaml: a Maildir on the pod's volume, or in database mode the postgres:
location with the values that are set (the password and the bucket's secret key as mounted files;
the user and access key may come from Secrets as ROOST_* variables, roost.mailStoreEnv).
*/}}
{{- define "roost.mailConfig" -}}
{{- if not .Values.database.enabled }}
{{- toJson (dict "location" "maildir:/var/lib/roost/mail/%u" "fsync" .Values.config.fsync) }}
{{- else }}
{{- $d := .Values.database }}
{{- if not $d.postgres.url }}
{{- fail "database.enabled: set database.postgres.url" }}
{{- end }}
{{- if ne (empty $d.s3.accessKeyFrom.secret) (empty $d.s3.secretKeyFrom.secret) }}
{{- fail "database.s3: set both accessKeyFrom.secret and secretKeyFrom.secret, or neither" }}
{{- end }}
{{- if not $d.s3.bucket }}
{{- fail "database.enabled: set database.s3.bucket" }}
{{- end }}
{{- $postgres := dict "migrateAtStart" $d.postgres.migrateAtStart }}
{{- range $key := list "url" "user" "timeout" }}
{{- with index $d.postgres $key }}{{ $_ := set $postgres $key . }}{{ end }}
{{- end }}
{{- with $d.postgres.poolSize }}{{ $_ := set $postgres "poolSize" (int .) }}{{ end }}
{{- if $d.postgres.passwordFrom.secret }}
{{- $_ := set $postgres "passwordFile" "/etc/roost/mailstore/postgres-password" }}
{{- end }}
{{- $s3 := dict "bucket" $d.s3.bucket "pathStyle" $d.s3.pathStyle }}
{{- range $key := list "endpoint" "region" "timeout" }}
{{- with index $d.s3 $key }}{{ $_ := set $s3 $key . }}{{ end }}
{{- end }}
{{- if $d.s3.secretKeyFrom.secret }}
{{- $_ := set $s3 "secretKeyFile" "/etc/roost/mailstore/s3-secret-key" }}
{{- end }}
{{- toJson (dict "location" "postgres:%u" "fsync" .Values.config.fsync "postgres" $postgres "s3" $s3) }}
{{- end }}
{{- end }}

{{/* The files of the mailstore volume (database mode), as JSON: {files: [{secret, key, path}]}. */}}
{{- define "roost.mailStoreFiles" -}}
{{- $files := list }}
{{- if .Values.database.enabled }}
{{- with .Values.database.postgres.passwordFrom }}{{ if .secret }}
{{- $files = append $files (dict "secret" .secret "key" .key "path" "postgres-password") }}
{{- end }}{{ end }}
{{- with .Values.database.s3.secretKeyFrom }}{{ if .secret }}
{{- $files = append $files (dict "secret" .secret "key" .key "path" "s3-secret-key") }}
{{- end }}{{ end }}
{{- end }}
{{- toJson (dict "files" $files) }}
{{- end }}

{{/* Database mode: the settings that come from Secrets as ROOST_* variables (CloudNativePG's username). */}}
{{- define "roost.mailStoreEnv" -}}
{{- $d := .Values.database }}
{{- range $row := list (list "ROOST_MAIL_POSTGRES_USER" $d.postgres.userFrom) (list "ROOST_MAIL_S3_ACCESSKEY" $d.s3.accessKeyFrom) }}
{{- $from := index $row 1 }}
{{- if $from.secret }}
- name: {{ index $row 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ $from.secret }}
      key: {{ $from.key | quote }}
{{- end }}
{{- end }}
{{- end }}
