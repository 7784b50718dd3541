"""Sending messages somewhere: a watch's alerts (``pipeline.watches``) and a DAG task that failed for good
(``alerts.on_failure``, ``pipeline.dagkit.failure_callback``), to a webhook, an e-mail address or a folder.

- **webhook**: ``POST`` of one JSON message (``format: json``) or of a Slack-style ``{"text": …}`` message
  (``format: slack``: Slack, Mattermost and Rocket.Chat incoming webhooks read it). A 2xx answer delivers it;
  anything else (a refused connection, a timeout, 3xx, 4xx, 5xx) is a ``DeliveryError`` naming the cause, and the
  alerts are sent again at the next run. With ``secret_env``, the message is signed: ``X-Newsetl-Timestamp`` (epoch
  seconds) and ``X-Newsetl-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>``, so the
  receiver can check that it comes from us and is fresh. Header values may name environment variables
  (``Authorization: "Bearer ${HOOK_TOKEN}"``); they are read when the message is sent, not when the config loads.
- **email**: one mail per message through ``alerts.smtp`` (STARTTLS on 587 by default, SMTPS, or none for a relay on
  localhost; login and password from the environment variables it names), with the ``message_id`` in its
  ``Message-ID``. A watch's mail is ``multipart/alternative``: plain text and a small HTML page of the same (each
  title a link, everything from an article escaped, only http(s) URLs linked, inline styles only); a failed task's
  is plain text. A refused connection, login or recipient is a ``DeliveryError``.
- **folder**: one file per message, ``<folder>/<YYYY-MM-DD>/<time>-<message id>.json`` under the storage root,
  written atomically: a spool another program reads and deletes.

Each message carries a ``message_id`` (a hash of its alert ids; a webhook's ``Idempotency-Key`` header, an e-mail's
``Message-ID``, a folder's file name) and each alert its ``alert_id``: a message sent again after a crash between its
delivery and its record (at least once) can be recognised.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import json
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import httpx

from pipeline import __version__
from pipeline.settings.alerts import AlertsSettings, Channel, SmtpSettings
from pipeline.ssrf import FetchRefused
from pipeline.storage import Storage
from pipeline.wording import counted

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class DeliveryError(RuntimeError):
    """A message that did not reach its channel; one line naming the channel and the cause."""


@dataclass
class Message:
    """One message in each channel's shape: ``json`` (a webhook of format json, a folder), ``slack`` (the text of a
    Slack-style webhook), ``subject``, ``body`` and ``html`` (an e-mail: its plain text, and its HTML alternative or
    None)."""
    json: dict
    slack: str
    subject: str
    body: str
    html: str | None = None


def message_id(alert_ids: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(alert_ids)).encode()).hexdigest()[:16]


def json_message(watch: str, description: str | None, alerts: list[dict], test: bool = False) -> dict:
    return {"watch": watch, "description": description, "message_id": message_id([a["alert_id"] for a in alerts]),
            "count": len(alerts), "alerts": alerts, "test": test, "sent_by": f"newsetl {__version__}"}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _meta(a: dict) -> str:
    return ", ".join(x for x in (a.get("source"), a.get("language"), (a.get("published_at") or "")[:10]) if x)


def _headline(watch: str, n: int, test: bool) -> str:
    return f"{watch}: {counted(n, 'new article')}" + (" (a test message)" if test else "")


def slack_text(watch: str, alerts: list[dict], test: bool = False) -> str:
    lines = ["*" + _slack_escape(watch) + "*" + _slack_escape(_headline(watch, len(alerts), test)[len(watch):])]
    for a in alerts:
        title = _slack_escape(a.get("title") or a.get("url") or a["id"])
        url = a.get("url") or ""
        # only a plain http(s) URL becomes a link, and one with "|" or ">" would end Slack's <url|title> early
        link = f"<{url}|{title}>" if _LINKABLE.fullmatch(url) and not set("|<>") & set(url) else title
        lines.append(f"• {link}" + (f" ({_slack_escape(_meta(a))})" if _meta(a) else ""))
    return "\n".join(lines)


_SNIPPET_CHARS = 300     # an alert's description is cut there (pipeline.watches._DESCRIPTION_CHARS)
_LINKABLE = re.compile(r"https?://[^\x00-\x20\x7f/?#]+[^\x00-\x20\x7f]*", re.IGNORECASE)
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _snippet(text: str | None) -> str:
    """An alert's description on one line; one cut at ``_SNIPPET_CHARS`` ends on a word boundary, with "…"."""
    text = text or ""
    words = text[:_SNIPPET_CHARS].split()
    if len(text) < _SNIPPET_CHARS or not words:
        return " ".join(words)
    if len(words) > 1 and not text[_SNIPPET_CHARS - 1].isspace():
        words.pop()                          # the word the cut went through
    return " ".join(words).rstrip(",;:") + "…"


def _stop_hint(watch: str, code=lambda x: f"`{x}`") -> str:
    """How to stop a watch's mails; ``code`` marks up a name or command (backticks, or ``<code>`` in HTML)."""
    return (f"To stop these mails, take this address out of the {code('deliver:')} list of the watch {watch} in "
            f"{code('config/watches.yaml')} (or the file {code('alerts.watches_file')} names), or set "
            f"{code('enabled: false')} there; {code('newsetl watch list')} shows the watches and their channels.")


def mail_body(watch: str, description: str | None, alerts: list[dict], msg_id: str) -> str:
    """The plain text of a watch's mail: per article its title, link, source, language, date, people and snippet."""
    out = [description, ""] if description else []
    for a in alerts:
        out.append(a.get("title") or a.get("url") or a["id"])
        people = ", ".join(a.get("people") or [])
        out += [f"  {x}" for x in (a.get("url"), _meta(a), people and f"People: {people}",
                                   _snippet(a.get("description"))) if x]
        out.append("")
    return "\n".join(out + [f"-- newsetl {__version__}, watch {watch}, message {msg_id}", _stop_hint(watch)])


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _article_html(a: dict) -> str:
    """One article of a watch's mail as a list item; everything from it escaped, its URL a link if http(s)."""
    url = a.get("url") or ""
    lang = a.get("language") or ""
    lang = f' lang="{_attr(lang)}"' if _LANG.fullmatch(lang) else ""
    title = _attr(a.get("title") or url or a["id"])
    if _LINKABLE.fullmatch(url):
        title = f'<a href="{_attr(url)}" style="color:#1a4f9c;font-weight:bold">{title}</a>'
    else:
        title = f"<b>{title}</b>"
    source = a.get("source") or ""
    site = a.get("domain") if a.get("domain") and a.get("domain") != source else None
    meta = " · ".join(_attr(x) for x in (source, site, a.get("language"), (a.get("published_at") or "")[:10]) if x)
    people = ", ".join(a.get("people") or [])
    snippet = _snippet(a.get("description"))
    return "".join([
        '<li style="margin:0 0 14px">',
        f'<div{lang} dir="auto" style="font-size:15px">{title}</div>',
        f'<div style="color:#555;font-size:13px">{meta}</div>' if meta else "",
        f'<div style="color:#555;font-size:13px">People: {_attr(people)}</div>' if people else "",
        f'<div{lang} dir="auto" style="margin-top:4px">{_attr(snippet)}</div>' if snippet else "",
        "</li>"])


def mail_html(watch: str, description: str | None, alerts: list[dict], msg_id: str, test: bool = False) -> str:
    """The HTML alternative of a watch's mail: the headline and description, one list item per article, a footer
    naming the watch, how to stop its mails and the message id. Inline styles only, no images; it reads without
    them."""
    head = _attr(_headline(watch, len(alerts), test))
    small = "color:#666;font-size:12px"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>newsetl: {head}</title></head>",
        '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;'
        'line-height:1.45;color:#222">',
        '<div style="max-width:640px">',
        f'<h1 style="font-size:18px;margin:0 0 4px">{head}</h1>',
        f'<p style="margin:0 0 12px;color:#444">{_attr(description)}</p>' if description else "",
        '<ol style="margin:12px 0;padding-left:22px">',
        *(_article_html(a) for a in alerts),
        "</ol>",
        '<hr style="border:0;border-top:1px solid #ddd;margin:16px 0 8px">',
        f'<p style="{small};margin:0 0 4px">Sent by newsetl {_attr(__version__)} for the watch '
        f"<b>{_attr(watch)}</b>; message {_attr(msg_id)}.</p>",
        f'<p style="{small};margin:0">{_stop_hint(f"<b>{_attr(watch)}</b>", lambda x: f"<code>{x}</code>")}</p>',
        "</div></body></html>", ""])


def watch_message(watch: str, description: str | None, alerts: list[dict], test: bool = False) -> Message:
    """A watch's ``alerts`` as one message."""
    msg = json_message(watch, description, alerts, test)
    return Message(msg, slack_text(watch, alerts, test), "newsetl: " + _headline(watch, len(alerts), test),
                   mail_body(watch, description, alerts, msg["message_id"]),
                   mail_html(watch, description, alerts, msg["message_id"], test))


def task_failure(*, dag_id: str, task_id: str, run_id: str, map_index: int | None, try_number: int | None,
                 error: str, log_url: str | None) -> Message:
    """The message telling that an Airflow task failed for good (its retries used up)."""
    where = f"{dag_id}.{task_id}" + (f"[{map_index}]" if map_index not in (None, -1) else "")
    msg = {"event": "task_failed", "dag_id": dag_id, "task_id": task_id, "map_index": map_index, "run_id": run_id,
           "try_number": try_number, "error": error, "log_url": log_url, "sent_by": f"newsetl {__version__}",
           "message_id": hashlib.sha256(f"{where} {run_id} {try_number}".encode()).hexdigest()[:16]}
    text = f"*newsetl*: task `{_slack_escape(where)}` failed (run {_slack_escape(run_id)}, try {try_number}): " \
           f"{_slack_escape(error)}" + (f"\n<{log_url}|the task's log>" if log_url else "")
    body = f"The task {where} failed (run {run_id}, try {try_number}):\n\n{error}\n" + \
        (f"\nIts log: {log_url}\n" if log_url else "") + f"\n-- newsetl {__version__}"
    return Message(msg, text, f"newsetl: {where} failed", body)


def _env(value: str, what: str) -> str:
    def sub(m: re.Match) -> str:
        if m.group(1) not in os.environ:
            raise DeliveryError(f"{what} names the environment variable {m.group(1)}, which is not set: set it "
                                "where the task runs")
        return os.environ[m.group(1)]
    return _ENV_REF.sub(sub, value)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The value of ``X-Newsetl-Signature`` for ``body`` sent at ``timestamp``."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def post_webhook(channel: Channel, message: dict, *, timeout: float, message_id: str | None = None) -> None:
    """Send one message to a webhook channel; DeliveryError unless it answers 2xx. ``message_id`` goes out as the
    ``Idempotency-Key`` header (both formats: a Slack-style body has no room for it), so a receiver can drop a
    message sent again after a crash between its delivery and its record."""
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    headers = {"content-type": "application/json", "user-agent": f"newsetl/{__version__}"}
    if message_id:
        headers["idempotency-key"] = message_id
    for k, v in channel.headers.items():
        headers[k] = _env(v, f"the header {k}")
    if channel.secret_env:
        secret = os.environ.get(channel.secret_env)
        if not secret:
            raise DeliveryError(f"{channel.describe()}: the signing secret's variable {channel.secret_env} is not set "
                                "or empty: set it where the task runs, or remove secret_env")
        ts = str(int(time.time()))
        headers["x-newsetl-timestamp"] = ts
        headers["x-newsetl-signature"] = sign(secret, ts, body)
    try:
        if channel._guarded:      # written through the API: connect only to the public address just checked
            r = _guarded_post(channel.webhook, body, headers, timeout)
        else:
            r = httpx.post(channel.webhook, content=body, headers=headers, timeout=timeout, follow_redirects=False)
    except FetchRefused as e:
        raise DeliveryError(f"{channel.describe()}: {e} (a watch written through the API posts to public addresses "
                            "only: alerts.api_webhook_private_ok)") from None
    except httpx.TimeoutException:
        raise DeliveryError(f"{channel.describe()}: no answer within {timeout:g} s (alerts.timeout_seconds)") from None
    except httpx.HTTPError as e:
        raise DeliveryError(f"{channel.describe()}: {type(e).__name__}: {e}") from None
    if not 200 <= r.status_code < 300:
        text = " ".join(r.text.split())[:200]
        raise DeliveryError(f"{channel.describe()}: answered HTTP {r.status_code}" + (f": {text}" if text else ""))


def _guarded_post(url: str, body: bytes, headers: dict, timeout: float) -> httpx.Response:
    """POST through a connection to a checked public address (``pipeline.ssrf.GuardedSyncBackend``)."""
    import httpcore

    from pipeline.ssrf import AddressPolicy, GuardedSyncBackend

    transport = httpx.HTTPTransport(retries=0)
    transport._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),   # as the fetcher's pool
                                              network_backend=GuardedSyncBackend(AddressPolicy()))
    with httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False) as client:
        return client.post(url, content=body, headers=headers)


def write_folder(storage: Storage, channel: Channel, message: dict, now: dt.datetime | None = None) -> str:
    """Write one message as a JSON file in the channel's folder; its path under the storage root."""
    now = now or dt.datetime.now(dt.timezone.utc)
    rel = f"{channel.folder}/{now:%Y-%m-%d}/{now:%H%M%S%f}-{message['message_id']}.json"
    try:
        storage.write_json(rel, message, ensure_ascii=False)
    except OSError as e:
        raise DeliveryError(f"{channel.describe()}: cannot write {rel}: {e}") from None
    return rel


def smtp_session(smtp: SmtpSettings, *, timeout: float) -> smtplib.SMTP:
    """A session with the mail server ``alerts.smtp`` names, secured (STARTTLS or SMTPS) and logged in as it says
    (the login and password read from the environment variables it names now): use it as a context manager.
    ``DeliveryError`` when a variable is not set; smtplib's errors, and ``OSError``, when the server refuses."""
    user = _env(f"${{{smtp.username_env}}}", "alerts.smtp.username_env") if smtp.username_env else None
    password = _env(f"${{{smtp.password_env}}}", "alerts.smtp.password_env") if smtp.password_env else None
    tls = ssl.create_default_context(cafile=smtp.ca_certs) if smtp.security != "none" else None
    if smtp.security == "ssl":
        server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=tls)
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    try:
        if smtp.security == "starttls":
            server.starttls(context=tls)
        if user:
            server.login(user, password or "")
    except BaseException:
        server.close()
        raise
    return server


def send_mail(smtp: SmtpSettings, channel: Channel, message: Message, *, timeout: float) -> None:
    """Send one message as a mail to the channel's addresses (plain text, with its HTML alternative if it has one);
    DeliveryError when the server refuses."""
    if not smtp.host:
        raise DeliveryError(f"{channel.describe()}: no mail server: set alerts.smtp.host")
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = smtp.sender, ", ".join(channel.email), message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(idstring=str(message.json.get("message_id") or ""), domain="newsetl")
    mail.set_content(message.body)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    try:
        with smtp_session(smtp, timeout=timeout) as server:
            refused = server.send_message(mail)
    except (smtplib.SMTPException, OSError) as e:
        raise DeliveryError(f"{channel.describe()}: the mail server {smtp.host}:{smtp.port} refused: "
                            f"{type(e).__name__}: {' '.join(str(e).split())[:200]}") from None
    if refused:
        raise DeliveryError(f"{channel.describe()}: the mail server refused {', '.join(sorted(refused))}")


def deliver(storage: Storage, channel: Channel, message: Message, alerts: AlertsSettings) -> None:
    """Send one message to ``channel`` in its shape; DeliveryError when it did not arrive."""
    if channel.folder is not None:
        write_folder(storage, channel, message.json)
    elif channel.email is not None:
        send_mail(alerts.smtp, channel, message, timeout=alerts.timeout_seconds)
    else:
        post_webhook(channel, {"text": message.slack} if channel.format == "slack" else message.json,
                     timeout=alerts.timeout_seconds, message_id=message.json.get("message_id"))
