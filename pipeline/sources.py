"""Named news sources (``config/sources.yaml``), validated on load.

Kinds:

- ``rss``: an RSS or Atom feed (``url``)
- ``sitemap``: a sitemap, a sitemap index or a news sitemap (``url``)
- ``site``: a site by its home page (``url``): the feeds the page links to and the sitemaps its robots.txt lists;
  failing those, the article links of the home page and of up to ``section_pages`` section pages (and their
  next pages); the feeds those section pages declare as ``section_feeds`` asks
- ``urls``: a list of article URLs (``urls``) and/or a file with one URL per line (``file``)
- ``warc``: local WARC files (``paths``: file names or globs), e.g. Common Crawl's CC-NEWS
- ``files``: a folder of saved HTML pages (``path``) with a URL map (``url_map``: a JSON object
  ``{"<file name>": "<url>"}``)

Relative paths are resolved against the folder of the sources file. Every error names the file, the source and the
key (``ConfigError``).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.settings import ConfigError, config_dir, load_named_list

Kind = Literal["rss", "sitemap", "site", "urls", "warc", "files"]
_NEEDS = {"rss": ("url",), "sitemap": ("url",), "site": ("url",), "warc": ("paths",), "files": ("path", "url_map")}


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    kind: Kind
    enabled: bool = True
    url: str | None = None                     # rss, sitemap, site (its home page)
    urls: list[str] = Field(default_factory=list)   # urls
    file: str | None = None                    # urls: one URL a line, '#' comments
    paths: list[str] = Field(default_factory=list)  # warc: files or globs
    path: str | None = None                    # files: folder of saved pages
    url_map: str | None = None                 # files: JSON {"<file name>": "<url>"}
    language: str | None = None                # hint (ISO 639-1) when the page says nothing
    tags: list[str] = Field(default_factory=list)
    max_articles: int | None = Field(default=None, ge=1)
    # how often a scheduled run covers this source ("30m", "6h", "1d"; null: every run); a run that names it covers
    # it whenever (stages.plan_sources)
    every: str | None = None
    include: list[str] = Field(default_factory=list)  # regular expressions searched in the URL: keep if any matches
    exclude: list[str] = Field(default_factory=list)  # regular expressions: drop if any matches
    # site: how many of the section pages its home page links to are read, for article links where neither feeds
    # nor sitemaps give any and for the feeds they declare (section_feeds); 0: the home page's links only
    section_pages: int = Field(default=10, ge=0, le=100)
    # site: when the feeds the section pages declare are read too: auto (when the home page's feeds and sitemaps gave
    # fewer URLs than it links to articles, or none), always, never
    section_feeds: Literal["auto", "always", "never"] = "auto"
    # Where the definition came from (not a YAML key)
    base_dir: str = Field(default=".", exclude=True)

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^/\s]+", v):
            raise ValueError("must be an http:// or https:// URL")
        return v

    @field_validator("urls")
    @classmethod
    def _http_urls(cls, v: list[str]) -> list[str]:
        for u in v:
            if not re.match(r"^https?://[^/\s]+", u):
                raise ValueError(f"{u!r} is not an http:// or https:// URL")
        return v

    @field_validator("every")
    @classmethod
    def _every(cls, v: str | None) -> str | None:
        from pipeline.settings.ingest import parse_duration

        if v is not None and not parse_duration(v):
            raise ValueError(f"{v!r} is not a duration: write it like 30m, 6h, 1d or 1w (null: every run)")
        return v

    def every_delta(self):
        """``every`` as a timedelta (None: every run)."""
        from pipeline.settings.ingest import parse_duration

        return parse_duration(self.every) if self.every else None

    @field_validator("include", "exclude")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        for p in v:
            try:
                re.compile(p)
            except re.error as e:
                raise ValueError(f"{p!r} is not a valid regular expression ({e})") from None
        return v

    @model_validator(mode="after")
    def _required_for_kind(self) -> "Source":
        for key in _NEEDS.get(self.kind, ()):
            if not getattr(self, key):
                raise ValueError(f"a source of kind {self.kind!r} needs the key {key!r}")
        if self.kind == "urls" and not (self.urls or self.file):
            raise ValueError("a source of kind 'urls' needs 'urls' (a list) or 'file' (one URL a line)")
        return self

    def resolve(self, p: str) -> Path:
        """A path from this source's definition, relative to the sources file's folder."""
        q = Path(os.path.expanduser(p))
        return q if q.is_absolute() else Path(self.base_dir) / q

    def accepts(self, url: str) -> bool:
        """The include/exclude URL patterns."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[Source] = Field(default_factory=list)


def default_sources_path(settings=None) -> Path:
    if os.environ.get("NEWSETL_SOURCES"):
        return Path(os.environ["NEWSETL_SOURCES"])
    if settings is not None:
        fetch = getattr(settings, "fetch", settings)
        if getattr(fetch, "sources_file", None):
            p = Path(fetch.sources_file)
            if not p.is_absolute() and getattr(settings, "config_file", None):
                p = Path(settings.config_file).parent / p
            return p
        if getattr(settings, "config_file", None):
            return Path(settings.config_file).parent / "sources.yaml"
    return config_dir() / "sources.yaml"


def load_sources(path: str | os.PathLike | None = None, *, enabled_only: bool = False, settings=None) -> list[Source]:
    """Read and validate ``sources.yaml`` (default: ``config/sources.yaml``, ``$NEWSETL_SOURCES``, or the
    ``fetch.sources_file`` of ``settings``). Errors name the file, the source and the key."""
    p = Path(path) if path else default_sources_path(settings)
    out = load_named_list(p, "sources", Source, extra={"base_dir": str(p.parent)})
    return [s for s in out if s.enabled] if enabled_only else out


def get_source(name: str, path: str | os.PathLike | None = None, settings=None) -> Source:
    for s in load_sources(path, settings=settings):
        if s.name == name:
            return s
    names = ", ".join(s.name for s in load_sources(path, settings=settings)) or "none"
    raise ConfigError(path or default_sources_path(settings), None, f"no source named {name!r}",
                      f"use one of: {names}")
