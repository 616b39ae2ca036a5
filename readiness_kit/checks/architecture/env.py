"""Architecture checks ARC-ENV-*: environment segregation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import server_key
from readiness_kit.checks.architecture._shared import (
    AKS_BASELINE,
    _app_databases,
    _app_namespace,
    _nothing,
    _ns_subject,
)
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import k8s

PROD_TOKENS = {"prod", "prd", "production", "live"}
NONPROD_TOKENS = {
    "staging", "stage", "stg", "test", "tst", "uat", "dev", "development", "qa", "preprod",
    "sandbox", "sbx", "nonprod", "training", "integration",
}


def _environment(names: pd.Series) -> pd.Series:
    """``production`` / ``non-production`` / ``""`` from name tokens (``odoo_staging``,
    ``psql-retail-prod``); ``preprod`` is non-production."""
    tokens = names.fillna("").astype(str).str.lower().str.split(r"[-_.\s/]+", regex=True)
    nonprod = tokens.map(lambda t: bool(NONPROD_TOKENS.intersection(t)))
    prod = tokens.map(lambda t: bool(PROD_TOKENS.intersection(t)))
    return pd.Series(np.select([nonprod, prod], ["non-production", "production"], ""),
                     index=names.index)


@check(
    id="ARC-ENV-001",
    domain="architecture",
    severity="high",
    title="Production database servers hold no non-production databases",
    rationale="Staging and test databases on the production server share its CPU, memory, "
    "connections, credentials and backups: a load test or a careless restore in staging "
    "hits production, and test users often get rights on the production server. Azure "
    "Well-Architected segmentation guidance keeps environments on separate resources.",
    remediation="Move non-production databases to a separate (smaller) flexible server in a "
    "non-production subscription or resource group, and refresh them from backups.",
    risk="A staging job or test migration can slow down or damage the production database",
    applies_to="PostgreSQL application databases",
    requires=["pg_databases"],
    references=["https://learn.microsoft.com/azure/well-architected/security/segmentation"],
)
def no_nonprod_on_prod_server(ctx: CheckContext):
    dbs = _app_databases(ctx)
    if dbs.empty:
        return _nothing()
    env = _environment(dbs["datname"])
    server_env = _environment(server_key(dbs["server"]))
    hosts_prod = env.eq("production").groupby(dbs["server"]).transform("any")
    server_env = server_env.where(server_env.ne("") | ~hosts_prod, "production")
    bad = ((env.eq("non-production") & server_env.eq("production"))
           | (env.eq("production") & server_env.eq("non-production")))
    label = env.where(env.ne(""), "unlabelled")
    detail = (label + " database on " + server_env.where(server_env.ne(""), "unlabelled") +
              " server " + server_key(dbs["server"]) +
              np.where(bad, ": environments share one server", ""))
    return outcome("postgres:" + server_key(dbs["server"]) + "/" + dbs["datname"], ~bad, detail)


@check(
    id="ARC-ENV-002",
    domain="architecture",
    severity="medium",
    title="The production cluster runs no non-production namespaces",
    rationale="Staging or test namespaces in the production cluster share its nodes, "
    "ingress, identities and upgrade windows: a test load or a broken staging release "
    "affects shoppers. Separate clusters (or at least node pools and subscriptions) per "
    "environment are the AKS baseline.",
    remediation="Run staging and test on a separate AKS cluster, promote the same images and "
    "manifests through GitOps, and remove the non-production namespaces from production.",
    risk="Testing in the production cluster can take capacity or break the ingress the shop "
    "relies on",
    applies_to="application namespaces",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation",
                AKS_BASELINE],
)
def no_nonprod_namespaces(ctx: CheckContext):
    objs = k8s(ctx.ev, parsed=())
    names = objs["namespace"].where(objs["kind"].ne("Namespace"), objs["name"])
    ns = pd.DataFrame({"cluster": objs["cluster"].fillna(""), "namespace": names})
    ns = ns[_app_namespace(ns["namespace"])].drop_duplicates().reset_index(drop=True)
    if ns.empty:
        return _nothing()
    env = _environment(ns["namespace"])
    cluster_env = _environment(ns["cluster"])
    hosts_prod = env.eq("production").groupby(ns["cluster"]).transform("any")
    cluster_env = cluster_env.where(cluster_env.ne("") | ~hosts_prod, "production")
    bad = env.eq("non-production") & cluster_env.eq("production")
    detail = (env.where(env.ne(""), "unlabelled") + " namespace in " +
              cluster_env.where(cluster_env.ne(""), "unlabelled") + " cluster " +
              ns["cluster"].where(ns["cluster"].ne(""), "(unnamed)"))
    return outcome(_ns_subject(ns["namespace"]), ~bad, detail)
