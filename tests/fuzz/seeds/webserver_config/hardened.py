"""webserver_config.py for the FAB auth manager: single sign-on, secrets from the environment."""
from __future__ import annotations

import os
from datetime import timedelta

from flask_appbuilder.const import AUTH_OAUTH

WTF_CSRF_ENABLED = True
AUTH_TYPE = AUTH_OAUTH
AUTH_ROLE_PUBLIC = None
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {
    "airflow-admins": ["Admin"],
    "airflow-operators": ["Op"],
    "airflow-viewers": ["Viewer"],
}
PERMANENT_SESSION_LIFETIME = timedelta(minutes=15)
OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ["AIRFLOW_OAUTH_CLIENT_ID"],
            "client_secret": os.environ["AIRFLOW_OAUTH_CLIENT_SECRET"],
            "server_metadata_url": "https://sso.example.com/realms/airflow/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    }
]
