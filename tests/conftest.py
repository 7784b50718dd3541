# Fixtures live in tests/plugins/, one module per concern, so each can be read (and owned) on its own.
import os

os.environ.setdefault("NEWSETL_TESTING", "1")
# no CoreNLP server unless a test asks for one (the corenlp_url fixture): port 9 (discard) is closed here, so German
# text gets entities_status "error" rather than whatever a developer runs on the default port
os.environ["NEWSETL_CORENLP_URL"] = "http://127.0.0.1:9"
# a developer's Elasticsearch URL must not leak in: a test that wants a cluster names the test node's (es_url), and
# the tests of the run report without one turn its runs index off (index.record_runs)
os.environ.pop("NEWSETL_ES_URL", None)

pytest_plugins = [
    "tests.plugins.shared",
    "tests.plugins.processing",
    "tests.plugins.airflow_env",
    "tests.plugins.httpserver",
    "tests.plugins.es",
    "tests.plugins.s3",
    "tests.plugins.corenlp",
    "tests.plugins.docs",
    "tests.plugins.api",
]
