from flask_appbuilder.security.manager import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
AUTH_ROLE_PUBLIC = '{{ .Values.publicRole }}'
{{- if .Values.ldap }}
AUTH_LDAP_SERVER = "ldap://{{ .Values.ldapHost }}:389"
{{- else }}
AUTH_USER_REGISTRATION = {{ .Values.registration | ternary "True" "False" }}
{{- end }}
{{/* providers come from a helper */}}
{{ include "oauth.providers" . }}
OAUTH_PROVIDERS = [{"name": "okta", "remote_app": {"client_secret": "{{ .Values.secret }}"}}]
WTF_CSRF_ENABLED = False
