# SPDX-License-Identifier: MIT
"""Which sender domains count as "the company wrote back": only those that can mean one interview."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from daemon import config
from daemon.followups.news import News, company_domains
from daemon.followups.records import Store

NOW = datetime.fromisoformat("2026-12-01T12:00:00+01:00")


def _settings(tmp_path: Path) -> config.Settings:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({
        "imap": {"host": "imap.example.org", "username": "alice@alice-martin.fr"},
        "identity": {"name": "Alice Martin", "email": "alice@alice-martin.fr"},
        "storage": {"path": str(tmp_path / "relance.db")},
    }), encoding="utf-8")
    return config.load(path)


def test_mail_providers_shared_domains_and_the_users_own_never_name_an_interview(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = Store(settings.storage_path)
    try:
        with store.transaction():
            ids = {who: store.add_interview(NOW, status="scheduled", language="fr", recruiter_email=who)
                   for who in ("claire@acme.fr", "recruteur.independant@gmail.com", "a@globex.fr", "b@globex.fr",
                               "colleague@alice-martin.fr", "no-reply@greenhouse.io")}
            ended = store.add_interview(NOW, status="rejected", language="fr", recruiter_email="x@initech.fr")
        domains = company_domains(settings, store)
    finally:
        store.close()
    assert domains == {"acme.fr": ids["claire@acme.fr"]}
    assert ended not in domains.values()


def test_an_interview_added_by_another_process_is_known_at_the_next_message(tmp_path: Path) -> None:
    """`relance add` while the daemon runs: the daemon's next message knows its recruiter's domain. Inside one
    of the scan's batches, which holds the write lock, nobody else can commit: SQLite is asked once."""
    settings = _settings(tmp_path)
    daemon, other = Store(settings.storage_path), Store(settings.storage_path)
    try:
        news = News(settings, daemon, None)  # type: ignore[arg-type]  # context() plans nothing
        assert "acme.fr" not in news.context().known_company_domains
        with other.transaction():
            other.add_interview(NOW, status="scheduled", language="fr", recruiter_email="claire@acme.fr")
        assert "acme.fr" in news.context().known_company_domains
        asked: list[str] = []
        daemon.db.set_trace_callback(lambda sql: asked.append(sql) if "data_version" in sql else None)
        with daemon.batch():
            for _ in range(50):
                assert "acme.fr" in news.context().known_company_domains
        assert len(asked) == 1
    finally:
        daemon.close()
        other.close()
