# SPDX-License-Identifier: MIT
"""Which sender domains count as "the company wrote back": only those that can mean one interview."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from daemon import config
from daemon.followups.news import company_domains
from daemon.followups.records import Store

NOW = datetime.fromisoformat("2026-12-01T12:00:00+01:00")


def test_mail_providers_shared_domains_and_the_users_own_never_name_an_interview(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({
        "imap": {"host": "imap.example.org", "username": "alice@alice-martin.fr"},
        "identity": {"name": "Alice Martin", "email": "alice@alice-martin.fr"},
        "storage": {"path": str(tmp_path / "relance.db")},
    }), encoding="utf-8")
    settings = config.load(path)
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
