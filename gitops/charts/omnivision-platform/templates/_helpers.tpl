{{/* The workload's name: the model's, or the release's. */}}
{{- define "omnivision.name" -}}
{{- default .Release.Name .Values.model.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object of the release carries. */}}
{{- define "omnivision.labels" -}}
app.kubernetes.io/name: {{ include "omnivision.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: omnivision
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.model.name }}
omnivision.ai/model: {{ . }}
{{- end }}
{{- end -}}

{{/* The selector of the workload's pods. */}}
{{- define "omnivision.selectorLabels" -}}
app: {{ include "omnivision.name" . }}
{{- end -}}

{{/* The image by digest; a bare repository is taken from the cloud's registry. */}}
{{- define "omnivision.image" -}}
{{- $image := required "aiWorker.image is required (repository@sha256:digest)" .Values.aiWorker.image -}}
{{- if and (not (contains "/" $image)) .Values.global.imageRegistry -}}
{{- printf "%s/%s" (trimSuffix "/" .Values.global.imageRegistry) $image -}}
{{- else -}}
{{- $image -}}
{{- end -}}
{{- end -}}

{{/* The node affinity key of the cloud: a values file may not place pods on another cloud's key. */}}
{{- define "omnivision.affinityKey" -}}
{{- if eq .Values.global.cloudProvider "aws" -}}
eks.amazonaws.com/nodegroup
{{- else -}}
cloud.google.com/gke-accelerator
{{- end -}}
{{- end -}}

{{/*
The container's limits: a MIG slice (nvidia.com/mig-…) replaces the whole GPU of the chart's
defaults, since Helm merges the defaults' nvidia.com/gpu into a values file's limits.
*/}}
{{- define "omnivision.limits" -}}
{{- $limits := .Values.aiWorker.resources.limits -}}
{{- $mig := "" -}}
{{- range $name, $_ := $limits -}}
{{- if hasPrefix "nvidia.com/mig-" $name }}{{ $mig = $name }}{{ end -}}
{{- end -}}
{{- range $name, $count := $limits }}
{{- if or (not (hasPrefix "nvidia.com/" $name)) (eq $mig "") (eq $name $mig) }}
{{ $name }}: {{ $count | quote }}
{{- end }}
{{- end -}}
{{- end -}}
