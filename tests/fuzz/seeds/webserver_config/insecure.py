import os
from airflow.www.fab_security.manager import AUTH_DB, AUTH_LDAP
from flask_appbuilder.security.manager import AUTH_REMOTE_USER as REMOTE

basedir = os.path.abspath(os.path.dirname(__file__))
SECRET_KEY = b'\x00not-a-real-key' rb"raw\n" 'adjacent'
AUTH_TYPE = AUTH_LDAP if os.getenv("LDAP") else AUTH_DB
AUTH_ROLE_PUBLIC = 'Admin'
AUTH_LDAP_SERVER = f"ldap://{os.environ.get('LDAP_HOST', 'ldap')}:389"
AUTH_LDAP_BIND_PASSWORD = os.environ.get("LDAP_PASSWORD", "fallback")
AUTH_LDAP_USE_TLS = False; AUTH_LDAP_ALLOW_SELF_SIGNED = True
PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 31
RATELIMIT_ENABLED = 0x0
SESSION_COOKIE_SECURE = (False)
WTF_CSRF_TIME_LIMIT = 1_000.5e-1
AUTH_ROLES_MAPPING = {'cn=admins,dc=example': ['Admin', 'Op'], ("tuple", 1): {1, 2}}
OAUTH_PROVIDERS = [
    {'name': 'github', 'remote_app': {'client_id': 'id', 'client_secret': 'not-a-real-secret',
                                      'api_base_url': 'https://api.github.com/'}},
]
if os.environ.get("DEBUG"):
    AUTH_ROLE_PUBLIC = "Viewer"
try:
    from local_settings import *  # noqa
except ImportError:
    pass
FEATURE = """multi
line""" \
    + 'continued'
x[0] = lambda a: a ** 2
