{{/* The name of the portal's objects. */}}
{{- define "portal.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object of the release carries. */}}
{{- define "portal.labels" -}}
app.kubernetes.io/name: omnivision-portal
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: omnivision
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The selector of the portal's pods. */}}
{{- define "portal.selectorLabels" -}}
app.kubernetes.io/name: omnivision-portal
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The image, by digest only. */}}
{{- define "portal.image" -}}
{{- $repository := required "image.repository is required" .Values.image.repository -}}
{{- $digest := required "image.digest is required: the portal's image is deployed by digest (sha256:…), never by tag" .Values.image.digest -}}
{{- if regexMatch ":[^/]*$" $repository -}}
{{- fail (printf "image.repository %q carries a tag: give the repository alone and image.digest" $repository) -}}
{{- end -}}
{{- if not (regexMatch "^sha256:[a-f0-9]{64}$" $digest) -}}
{{- fail (printf "image.digest %q is not a sha256 digest" $digest) -}}
{{- end -}}
{{- printf "%s@%s" $repository $digest -}}
{{- end -}}

{{/* The Secret the portal's secret environment comes from. */}}
{{- define "portal.secretName" -}}
{{- if .Values.externalSecret.enabled -}}
{{- include "portal.name" . -}}
{{- else -}}
{{- required "secrets.existingSecret (or externalSecret.enabled) is required: the chart never holds secret values" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Where the chart's app-config layer and the PostgreSQL CA are mounted. */}}
{{- define "portal.configDir" -}}/etc/omnivision-portal/config{{- end -}}
{{- define "portal.postgresCaDir" -}}/etc/omnivision-portal/postgres-ca{{- end -}}
{{/* Projected service-account tokens for the other cloud's federation, and its credential config. */}}
{{- define "portal.federatedTokenDir" -}}/var/run/secrets/omnivision{{- end -}}
{{- define "portal.gcpCredentialDir" -}}/etc/omnivision-portal/gcp{{- end -}}
{{/* Which federation to the other cloud the pod uses: "aws" (from GKE), "gcp" (from EKS) or "". */}}
{{- define "portal.crossCloud" -}}
{{- if and (eq .Values.cloud "gcp") .Values.crossCloud.aws.roleArn -}}aws
{{- else if and (eq .Values.cloud "aws") .Values.crossCloud.gcp.audience -}}gcp
{{- end -}}
{{- end -}}

{{/* The workload-identity annotation of the cloud. */}}
{{- define "portal.identityAnnotations" -}}
{{- if eq .Values.cloud "aws" -}}
eks.amazonaws.com/role-arn: {{ required "aws.roleArn is required on aws (IRSA)" .Values.aws.roleArn | quote }}
{{- else -}}
iam.gke.io/gcp-service-account: {{ required "gcp.serviceAccount is required on gcp (workload identity)" .Values.gcp.serviceAccount | quote }}
{{- end -}}
{{- end -}}
