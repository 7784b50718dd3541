"""The document: the exact dict the processing stage emits and the index receives. One source of truth.

The index mapping (pipeline.mapping) must map every field here, and `dynamic: strict` rejects anything else.
Language-specific copies of title and text (``title_en``, ``text_en``…) are added by the index layer at load time
for the languages the index is configured for; they are not part of the processed document.
"""
from __future__ import annotations

ENTITY_TYPES = ("person", "organization", "location", "misc")
# the values of ``access`` (pipeline.extract.page_access); null: the page declares nothing
ACCESS_VALUES = ("free", "metered", "paywalled")

# field -> short description (kept in one place so docs, mapping tests and Kibana checks agree)
DOCUMENT_FIELDS: dict[str, str] = {
    "id": "SHA-256 hex of the normalised canonical URL",
    "url": "URL the page was fetched from",
    "canonical_url": "normalised canonical URL (rel=canonical / og:url, else url)",
    "domain": "host of canonical_url without www.",
    "source": "configured source name (or the PATH given to `newsetl extract`)",
    "source_tags": "tags of the source from config/sources.yaml",
    "title": "article title",
    "description": "meta description / summary",
    "text": "article body, paragraphs separated by a blank line",
    "authors": "list of author names",
    "published_at": "publication date-time, ISO 8601 (null when unknown)",
    "modified_at": "last-modified date-time, ISO 8601 (null when unknown)",
    "site_name": "publisher / site name",
    "categories": "categories declared by the page",
    "tags": "tags / keywords declared by the page",
    "top_image": "URL of the lead image",
    "access": "free | metered | paywalled, as the page declares it (isAccessibleForFree in JSON-LD, microdata or "
              "RDFa; article:content_tier); null when it declares nothing",
    "language": "ISO 639-1 code, or 'und'",
    "language_confidence": "0..1",
    "language_declared": "language the page declares (html lang / Content-Language / og:locale), or null",
    "entities": "object: person/organization/location/misc -> list of names, most mentioned first",
    "entity_mentions": "list of {name, type, count, first_offset} (stored, not indexed)",
    "entities_status": "ok | gazetteer | no_model | disabled | error",
    "word_count": "number of words in text",
    "content_hash": "SHA-256 of the normalised text (and title): unchanged hash => not rewritten",
    "pipeline_version": "newsetl version that produced the document",
    "fetched_at": "when the page was fetched, ISO 8601 (null for local files)",
    "processed_at": "when the document was built, ISO 8601 (injectable for reproducible output)",
    "rule_misses": "fields of the site's extraction rule whose selector matched nothing on the page (a changed layout?)",
    "status": "'ok' or a reason code (only ok documents are indexed); codes in docs/processing.md",
    "error": "human-readable explanation when status is not 'ok' (or entities_status is 'error'), else null",
}
