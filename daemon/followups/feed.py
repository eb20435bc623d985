# SPDX-License-Identifier: MIT
"""The calendar feed served over HTTP: its secret token, its URL, what it serves."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from daemon.config import Settings
from daemon.followups import ics

FEED_TOKEN_FILE = "feed-token"  # noqa: S105 (a file name, not the secret)


def feed_token_path(settings: Settings) -> Path:
    return settings.data_dir / FEED_TOKEN_FILE


def feed_url(settings: Settings) -> str:
    serve = settings.calendar.serve
    return ics.feed_url(serve.bind, serve.port, ics.load_or_create_token(feed_token_path(settings)))


def rotate_feed_token(settings: Settings) -> str:
    ics.rotate_token(feed_token_path(settings))
    return feed_url(settings)


def feed_body(settings: Settings) -> bytes:
    """What the last cycle wrote: the feed and the calendar file never disagree."""
    try:
        return settings.calendar.path.read_bytes()
    except FileNotFoundError:
        return ics.build_calendar([], tz=settings.timezone, now=datetime.now(settings.zone))


def feed_server(settings: Settings) -> ics.FeedServer:
    """The HTTP feed; the token is read at each request, so a rotated one takes effect at once."""
    token_path = feed_token_path(settings)
    ics.load_or_create_token(token_path)
    serve = settings.calendar.serve
    return ics.FeedServer(serve.bind, serve.port, lambda: ics.load_or_create_token(token_path),
                          lambda: feed_body(settings))
