"""Resilience checks RES-ODOO-*: what Odoo keeps in its database (live Odoo evidence)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.anchors import ODOO_DEPLOY
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import db_subject, fmt, text

ATTACHMENTS_IN_DB_MAX_BYTES = 1024**3


@check(
    id="RES-ODOO-001",
    domain="resilience",
    severity="medium",
    title="Odoo keeps attachments in the filestore, not in the database",
    rationale="With ir_attachment.location = db every invoice PDF, product image and import "
    "file lives in the database: it grows, and so do backups, restores and the time a "
    "point-in-time restore takes (RTO). Odoo's default is the filestore (data_dir, on "
    "Azure Files or Blob storage). Fails when the database is set to store them, or holds "
    "more than 1 GiB of them.",
    remediation="Remove the ir_attachment.location = db system parameter and move the "
    "attachments to the filestore (Settings > Technical > System parameters, then the "
    "force_storage method of ir.attachment); keep data_dir on persistent, backed-up storage.",
    risk="Restores take longer than the recovery time objective as the database swells",
    applies_to="Odoo databases",
    requires=["odoo_databases"],
    references=[ODOO_DEPLOY + "#filestore",
                "https://www.odoo.com/documentation/17.0/developer/reference/backend/"
                "orm.html#odoo.fields.Binary"],
)
def odoo_attachments_in_filestore(ctx: CheckContext):
    dbs = ctx.ev.table("odoo_databases")
    if dbs.empty:
        return outcome([], [], [])
    where = text(dbs["attachment_location"], "file")
    size = dbs["attachments_in_db_bytes"].fillna(0).astype(float)
    ok = where.ne("db") & (size <= ATTACHMENTS_IN_DB_MAX_BYTES)
    detail = ("ir_attachment.location = " + where + "; " + dbs["attachments_in_db"].map(fmt) +
              " of " + dbs["attachments"].map(fmt) + " attachments (" +
              pd.Series(np.round(size / 1024**2, 1), index=dbs.index).map(fmt) +
              " MiB) stored in the database (at most 1 GiB)")
    return outcome(db_subject(dbs, "odoo"), ok, detail)
