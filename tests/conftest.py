# Fixtures live in tests/plugins/, one module per concern, so each can be read (and owned) on its own.
import os

os.environ.setdefault("NEWSETL_TESTING", "1")

pytest_plugins = [
    "tests.plugins.shared",
    "tests.plugins.processing",
    "tests.plugins.airflow_env",
    "tests.plugins.httpserver",
    "tests.plugins.es",
    "tests.plugins.s3",
    "tests.plugins.docs",
]
