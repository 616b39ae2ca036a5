"""odoo.conf reader: every option of every file into ``odoo_config`` (source, section, key,
value), secrets never stored.

Several files make one review (the web and the cron deployments); each row's ``source``
is the file's name (its path relative to the parameters file when names collide).
``admin_passwd`` (the database manager's master password) is *judged* and only the
judgement is stored: ``<redacted:missing>`` is not written (the option is absent),
``<redacted:default>`` (``admin``, Odoo's default), ``<redacted:plain,len<12>`` /
``<redacted:plain>`` (clear text, short or not), ``<redacted:pbkdf2>`` (a passlib
``$pbkdf2-sha512$`` hash, as Odoo writes it), ``<redacted:hash>`` (another hash). Other
secret options (db_password, smtp_password...) keep presence only: ``<redacted>``.
"""

from __future__ import annotations

import configparser
from pathlib import Path

import pandas as pd

from readiness_kit.errors import EvidenceError
from readiness_kit.evidence import Evidence, TableProvenance
from readiness_kit.redaction import REDACTED

COLLECTOR = "readiness_kit.collectors.odoo"
SECRET_OPTIONS = ("db_password", "smtp_password", "admin_passwd", "ldap_password",
                  "redis_password", "session_redis_password", "s3_secret", "secret")
MIN_MASTER_PASSWORD = 12


def judge_admin_passwd(value: str) -> str:
    """What kind of master password ``value`` is, never the value itself."""
    if value == "admin":
        return "<redacted:default>"
    if value.startswith("$pbkdf2-sha512$"):
        return "<redacted:pbkdf2>"
    if value.startswith("$") and value.count("$") >= 3:
        return "<redacted:hash>"
    if len(value) < MIN_MASTER_PASSWORD:
        return f"<redacted:plain,len<{MIN_MASTER_PASSWORD}>"
    return "<redacted:plain>"


def _is_secret(key: str) -> bool:
    k = key.lower()
    return k in SECRET_OPTIONS or any(h in k for h in ("password", "passwd", "secret",
                                                         "token", "api_key", "apikey"))


def read_config(path: Path, source: str | None = None) -> list[dict]:
    """One odoo.conf -> odoo_config records. Raises EvidenceError naming file and line."""
    parser = configparser.ConfigParser(interpolation=None, strict=True,
                                       inline_comment_prefixes=None)
    parser.optionxform = str  # option names as written
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvidenceError("odoo.conf not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvidenceError(f"cannot read odoo.conf: {exc}", path=path) from None
    try:
        parser.read_string(text, source=str(path))
    except configparser.MissingSectionHeaderError as exc:
        raise EvidenceError("expected a section header such as [options] before the first "
                            "option", path=path, where=f"line {exc.lineno}") from None
    except configparser.ParsingError as exc:
        line = exc.errors[0][0] if exc.errors else 1
        content = (text.splitlines()[line - 1:line] or [""])[0].strip()
        word = (content.split() or [""])[0]
        got = "a line that may hold a secret (not shown)" if _is_secret(word) \
            else repr(content[:60])
        raise EvidenceError(f"expected `key = value`, got {got}", path=path,
                            where=f"line {line}") from None
    except (configparser.DuplicateOptionError, configparser.DuplicateSectionError) as exc:
        what = (f"option {exc.option!r} set twice in [{exc.section}]"
                if isinstance(exc, configparser.DuplicateOptionError)
                else f"section [{exc.section}] appears twice")
        raise EvidenceError(what, path=path, where=f"line {exc.lineno}") from None
    if not parser.has_section("options"):
        raise EvidenceError("no [options] section: not an odoo.conf", path=path, where="line 1")
    name = source or path.name
    rows = []
    for section in parser.sections():
        for key, value in parser.items(section, raw=True):
            if key == "admin_passwd":
                value = judge_admin_passwd(value)
            elif _is_secret(key):
                value = REDACTED
            rows.append({"source": name, "section": section, "key": key, "value": value})
    return rows


def _sources(cfg, loaded) -> list[tuple[Path, str]]:
    paths = [loaded.resolve(f) for f in cfg.files]
    names = [p.name for p in paths]
    base = loaded.path.parent
    return [(p, (str(p.relative_to(base)) if p.is_relative_to(base) else str(p))
             if names.count(p.name) > 1 else p.name) for p in paths]


def validate(cfg, loaded) -> list[str]:
    """Open and parse every odoo.conf the parameters name; one message per bad file."""
    problems = []
    for path, name in _sources(cfg, loaded):
        try:
            read_config(path, name)
        except EvidenceError as exc:
            problems.append(f"sources.odoo.config: {exc.render()}")
    return problems


def collect(cfg, loaded, ev: Evidence, progress) -> None:
    """Collector entry point (see ``readiness_kit.collect``): a malformed file raises
    EvidenceError (bad input the user pointed at), naming the file and the line."""
    rows = []
    sources = _sources(cfg, loaded)
    for path, name in sources:
        rows += read_config(path, name)
        progress(f"odoo: {name}: read")
    df = pd.DataFrame(rows, columns=["source", "section", "key", "value"])
    ev.add("odoo_config", df, TableProvenance(
        "odoo", COLLECTOR, "parse " + ", ".join(n for _, n in sources) +
        " (admin_passwd judged, never stored; other secret options kept as <redacted>)"))
