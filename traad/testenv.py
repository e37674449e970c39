"""Loaded by pytest (``-p traad.testenv``) before Django: the environment the tests run in.

Tests run with production settings (DEBUG off), so the keys below stand in for the secrets a
deployment sets. Values already in the environment (e.g. DATABASE_URL from CI) win.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("TRAAD_FIELD_KEY", "test-field-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("TRAAD_STATIC_MANIFEST", "false")
os.environ.setdefault("TRAAD_TASKS_BACKEND", "immediate")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["DJANGO_SETTINGS_MODULE"] = "traad.settings"
