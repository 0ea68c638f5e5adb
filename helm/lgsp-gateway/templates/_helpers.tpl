{{/*
Helpers of the lgsp-gateway chart. The templates stay within the subset of Go templates and Sprig
that test/support/helm-template.ts interprets (the chart's tests render them without helm).
*/}}

{{- define "lgsp-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lgsp-gateway.fullname" -}}
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

{{- define "lgsp-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "lgsp-gateway.labels" -}}
helm.sh/chart: {{ include "lgsp-gateway.chart" . }}
app.kubernetes.io/name: {{ include "lgsp-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lgsp
{{- end }}

{{/* The gateway pods (not the migration Job's): Deployment, Service, PDB, NetworkPolicy and ServiceMonitor select these. */}}
{{- define "lgsp-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lgsp-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end }}

{{- define "lgsp-gateway.migrationSelectorLabels" -}}
app.kubernetes.io/name: {{ include "lgsp-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: migrations
{{- end }}

{{- define "lgsp-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lgsp-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "lgsp-gateway.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Where the configuration file is mounted; LGSP_CONFIG names it. */}}
{{- define "lgsp-gateway.configDir" -}}/etc/lgsp{{- end }}
{{- define "lgsp-gateway.configFile" -}}config.yaml{{- end }}

{{- define "lgsp-gateway.apiPort" -}}
{{- .Values.config.server.port | default 8080 | int }}
{{- end }}

{{- define "lgsp-gateway.opsPort" -}}
{{- dig "opsPort" 9464 .Values.config.server | int }}
{{- end }}

{{/* The most replicas that run at once: what redis.replicas is set to unless configured. */}}
{{- define "lgsp-gateway.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.maxReplicas | int }}
{{- else }}
{{- .Values.replicaCount | int }}
{{- end }}
{{- end }}

{{- define "lgsp-gateway.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.minReplicas | int }}
{{- else }}
{{- .Values.replicaCount | int }}
{{- end }}
{{- end }}

{{/*
The gateway's configuration document as the pods read it: .Values.config plus what the chart owns.
Checked here: the values no default can give.
*/}}
{{- define "lgsp-gateway.config" -}}
{{- $config := deepCopy .Values.config }}
{{- $_ := required "config.auth.issuer: the URL of your Keycloak realm, e.g. https://sso.example.gov.vn/realms/lgsp" $config.auth.issuer }}
{{- $vault := $config.vault | default dict }}
{{- $_ := required "config.vault.activeKeyId: the id of the vault master key that wraps new records" $vault.activeKeyId }}
{{- $_ := set $config.server "host" "0.0.0.0" }}
{{- $_ := set $config.server "opsHost" "0.0.0.0" }}
{{- if .Values.migrations.enabled }}
{{- $_ := set $config.store "migrateOnStart" false }}
{{- end }}
{{- if and (hasKey $config "redis") (not (hasKey $config.redis "replicas")) }}
{{- $_ := set $config.redis "replicas" (include "lgsp-gateway.maxReplicas" . | int) }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
Seconds Kubernetes waits after the pre-stop hook began before SIGKILL: the pre-stop sleep, then the
gateway's drain of in-flight requests (server.shutdownGraceMs), then of outbox deliveries
(outbox.shutdownGraceMs) — one after the other in gateway.ts close() — and a margin for the rest
(ops listener, audit flush, last checkpoint, store). The defaults are the gateway schema's.
*/}}
{{- define "lgsp-gateway.terminationGracePeriodSeconds" -}}
{{- $serverMs := dig "shutdownGraceMs" 10000 .Values.config.server }}
{{- $outboxMs := dig "outbox" "shutdownGraceMs" 10000 .Values.config }}
{{- /* The last audit checkpoint is written at shutdown; with a TSA it may wait for its timestamp. */}}
{{- $tsaMs := 0 }}
{{- if dig "audit" "checkpoints" "tsaUrl" "" .Values.config }}{{ $tsaMs = dig "audit" "checkpoints" "tsaTimeoutMs" 5000 .Values.config }}{{ end }}
{{- add .Values.termination.preStopSleepSeconds (div (add $serverMs 999) 1000) (div (add $outboxMs 999) 1000) (div (add $tsaMs 999) 1000) .Values.termination.marginSeconds }}
{{- end }}

{{/*
Environment variables from the existing Secret, for the pods and the migration Job alike: the known
secret settings (only those the configuration uses) and secrets.extraEnv.
*/}}
{{- define "lgsp-gateway.secretEnv" -}}
{{- $secret := required "secrets.existingSecret: the name of the Secret holding the gateway's secrets (see the chart README for its keys)" .Values.secrets.existingSecret }}
{{- $keys := .Values.secrets.keys }}
{{- $config := .Values.config }}
{{- $env := list (dict "env" "LGSP__STORE__URL" "key" $keys.storeUrl) }}
{{- $env = append $env (dict "env" "LGSP__AUDIT__SUBJECT_HASH_KEY" "key" $keys.auditSubjectHashKey) }}
{{- $env = append $env (dict "env" "LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY" "key" $keys.auditCheckpointSigningKey) }}
{{- $env = append $env (dict "env" "LGSP__VAULT__MASTER_KEYS" "key" $keys.vaultMasterKeys) }}
{{- $env = append $env (dict "env" "LGSP__VAULT__FINGERPRINT_KEY" "key" $keys.vaultFingerprintKey) }}
{{- if hasKey $config "redis" }}
{{- $env = append $env (dict "env" "LGSP__REDIS__URL" "key" $keys.redisUrl) }}
{{- $env = append $env (dict "env" "LGSP__CACHE__KEY_HASH_KEY" "key" $keys.cacheKeyHashKey) }}
{{- $env = append $env (dict "env" "LGSP__CACHE__ENTRY_ENCRYPTION_KEY" "key" $keys.cacheEntryEncryptionKey) }}
{{- end }}
{{- if dig "console" "enabled" false $config }}
{{- $env = append $env (dict "env" "LGSP__CONSOLE__CLIENT_SECRET" "key" $keys.consoleClientSecret) }}
{{- $env = append $env (dict "env" "LGSP__CONSOLE__SESSION_SECRET" "key" $keys.consoleSessionSecret) }}
{{- end }}
{{- if dig "alerting" "smtp" nil $config }}
{{- $env = append $env (dict "env" "LGSP__ALERTING__SMTP__PASSWORD" "key" $keys.smtpPassword) }}
{{- end }}
{{- range .Values.secrets.extraEnv }}
{{- $env = append $env . }}
{{- end }}
{{- range $env }}
{{- if .key }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret | quote }}
      key: {{ .key | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Volumes of the pods and the Job: the configuration, /tmp, and the Secret's keys mounted as files. `configMap` names the ConfigMap. */}}
{{- define "lgsp-gateway.volumes" -}}
- name: config
  configMap:
    name: {{ .configMap }}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: {{ .root.Values.tmpVolume.sizeLimit }}
{{- with .root.Values.secrets.files }}
- name: secret-files
  secret:
    secretName: {{ $.root.Values.secrets.existingSecret | quote }}
    defaultMode: 288  # 0440: root and the pods' group (fsGroup) read them
    items:
      {{- range . }}
      - key: {{ .key | quote }}
        path: {{ default .key .path | quote }}
      {{- end }}
{{- end }}
{{- end }}

{{- define "lgsp-gateway.volumeMounts" -}}
- name: config
  mountPath: {{ include "lgsp-gateway.configDir" . }}
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if .Values.secrets.files }}
- name: secret-files
  mountPath: {{ .Values.secrets.filesMountPath }}
  readOnly: true
{{- end }}
{{- end }}
