"""readiness_kit.frames: the helpers every check and chart reads evidence through."""

import pandas as pd
from factories import arm, attestation, deployment, kobj, odoo_conf, pg_settings, rid

from readiness_kit import frames
from readiness_kit.evidence import TableProvenance, evidence_from_records
from readiness_kit.frames import core


def test_dig_follows_dotted_paths_and_keys_that_contain_dots():
    labels = pd.Series([{"kubernetes.azure.com/agentpool": "odoo", "app": {"tier": "web"}},
                        {"agentpool": "system"}, None])
    assert frames.dig(labels, ["kubernetes.azure.com/agentpool"], "-").tolist() == [
        "odoo", "-", "-"]
    assert frames.dig(labels, "kubernetes.azure.com/agentpool", "-", sep="|").tolist() == [
        "odoo", "-", "-"]
    assert frames.dig(labels, "app.tier", "-").tolist() == ["web", "-", "-"]
    # the dotted form splits the label name, so it finds nothing
    assert frames.dig(labels, "kubernetes.azure.com/agentpool").isna().all()


def test_json_columns_are_parsed_once_per_evidence_and_copies_are_independent(monkeypatch):
    ev = evidence_from_records({"azure_resources": [
        arm("Microsoft.Cache/Redis", "redis-a", {"enableNonSslPort": False}),
        arm("Microsoft.KeyVault/vaults", "kv-a", {"enableSoftDelete": True})]})
    calls = []
    original = frames.parse_json

    def counting(series, default=None):
        calls.append((series.name, len(series)))
        return original(series, default)

    monkeypatch.setattr(core, "parse_json", counting)  # what parsed_rows calls
    redis = frames.resources(ev, "microsoft.cache/redis")
    assert calls.count(("properties", 1)) == 1  # only the Redis row was parsed
    vaults = frames.resources(ev, "Microsoft.KeyVault/vaults")
    everything = frames.resources(ev)
    again = frames.resources(ev, "microsoft.cache/redis", "microsoft.keyvault/vaults")
    # each row's JSON parsed once, per type, when first asked for; never again after
    assert [n for c, n in calls if c == "properties"] == [1, 1]
    assert (len(redis), len(vaults), len(everything), len(again)) == (1, 1, 2, 2)
    assert everything["props"].tolist() == [{"enableNonSslPort": False},
                                            {"enableSoftDelete": True}]
    redis["name"] = "changed"
    assert frames.resources(ev, "microsoft.cache/redis")["name"].tolist() == ["redis-a"]


def test_resources_keep_table_order_across_types_and_parse_only_what_is_asked():
    ev = evidence_from_records({"azure_resources": [
        arm("Microsoft.Compute/disks", "d1", {"diskSizeGB": 32}, zones=["1"]),
        arm("Microsoft.Cache/Redis", "r1", {"port": 6380}),
        arm("Microsoft.Compute/disks", "d2", {"diskSizeGB": 64})]})
    both = frames.resources(ev, "microsoft.cache/redis", "microsoft.compute/disks")
    assert both["name"].tolist() == ["d1", "r1", "d2"]  # table order, not type order
    assert frames.dig(both["props"], "diskSizeGB", 0).tolist() == [32, 0, 64]
    assert both["zones_list"].tolist() == [["1"], [], []]
    bare = frames.resources(ev, parsed=())
    assert bare["name"].tolist() == ["d1", "r1", "d2"] and "props" not in bare.columns
    zones = frames.resources(ev, "microsoft.compute/disks", parsed=("zones_list",))
    assert set(zones.columns) - set(bare.columns) == {"zones_list"}
    assert frames.resources(ev, "microsoft.sql/servers").empty


def test_adding_a_table_drops_derived_frames():
    ev = evidence_from_records({"k8s_objects": [deployment("shop", "api", replicas=2)]})
    assert frames.k8s(ev, "Deployment")["name"].tolist() == ["api"]
    more = evidence_from_records({"k8s_objects": [deployment("shop", "api"),
                                                  deployment("shop", "worker")]})
    ev.add("k8s_objects", more.table("k8s_objects"), TableProvenance("kubernetes", "t", "q"))
    assert frames.k8s(ev, "Deployment")["name"].tolist() == ["api", "worker"]


def test_pod_specs_and_containers_of_every_workload_kind():
    cron = kobj("CronJob", "shop", "sync", {"jobTemplate": {"spec": {"template": {"spec": {
        "containers": [{"name": "c", "image": "mcr.microsoft.com/azure-cli:2"}]}}}}},
        api="batch/v1")
    pod = kobj("Pod", "shop", "debug", {"initContainers": [{"name": "i", "image": "busybox"}],
                                        "containers": [{"name": "d", "image": "busybox"}]},
               api="v1")
    system = deployment("kube-system", "coredns", "mcr.microsoft.com/coredns:1")
    ev = evidence_from_records({"k8s_objects": [deployment("shop", "api"), cron, pod, system]})
    c = frames.workload_containers(ev)
    assert sorted(zip(c["name"], c["container_name"], strict=True)) == [
        ("api", "api"), ("debug", "d"), ("debug", "i"), ("sync", "c")]
    specs = frames.pod_specs(frames.k8s(ev))
    assert [sorted(s) for s in specs] == [["containers"], ["containers"],
                                          ["containers", "initContainers"], ["containers"]]
    # image parts are columns of the container frame, as image_parts gives them
    parts = c.set_index("container_name")[["registry", "repository", "tag", "tag_implicit",
                                           "digest"]]
    assert parts.loc["i"].tolist() == ["docker.io", "busybox", "latest", True, ""]
    assert parts.loc["c"].tolist() == ["mcr.microsoft.com", "azure-cli", "2", False, ""]
    # the controller-free frame keeps platform namespaces (the capacity model counts
    # them); the workload frames leave them out
    assert sorted(frames.controller_pod_specs(ev)["name"]) == ["api", "coredns", "debug",
                                                               "sync"]
    assert sorted(frames.workload_pod_specs(ev)["name"]) == ["api", "debug", "sync"]


def test_joined_by_is_groupby_agg_in_one_pass():
    keys = pd.Series(["w2", "w1", None, "w2", "w1", "w2"], dtype=object)
    values = pd.Series(["b", "a", "lost", "a", "a", ""], dtype=object)
    assert frames.joined_by(keys, values) == {"w1": "a", "w2": "a, b"}
    assert frames.joined_by(keys, values, lambda v: "; ".join(dict.fromkeys(v))) == {
        "w2": "b; a; ", "w1": "a"}
    assert frames.joined_by(keys, values) == keys.to_frame("k").assign(v=values).groupby(
        "k")["v"].agg(frames.join_sorted).to_dict()
    assert frames.joined_by(keys[:0], values[:0]) == {}


def test_setting_lookups():
    ev = evidence_from_records({
        "pg_settings": pg_settings("psql-a", ssl="on") + pg_settings(
            "psql-b.postgres.database.azure.com", ssl="off", password_encryption="md5"),
        "azure_arm_details": [{
            "resource_id": rid("rg", "Microsoft.DBforPostgreSQL/flexibleServers", name),
            "detail_type": "configurations", "name": "password_encryption",
            "properties": {"value": value}}
            for name, value in (("psql-b", "scram-sha-256"), ("psql-c", "scram-sha-256"))],
        "odoo_config": odoo_conf("a.conf", list_db="False") + odoo_conf("b.conf", workers="2")
        + [{"source": "a.conf", "section": "queue_job", "key": "list_db", "value": "x"}],
        "redis_info": [{"instance": "r1", "section": "stats", "key": "evicted_keys",
                        "value": "0"}]})
    ssl = frames.pg_setting(ev, "ssl")
    assert dict(zip(ssl["server"], ssl["value"], strict=True)) == {
        "psql-a": "on", "psql-b.postgres.database.azure.com": "off"}
    # pg_settings wins over ARM for the same server; ARM fills the servers it lacks
    pw = frames.pg_setting(ev, "password_encryption")
    assert dict(zip(pw["server"], pw["source"], strict=True)) == {
        "psql-b.postgres.database.azure.com": "pg_settings", "psql-c": "server parameters (ARM)"}
    assert pw["subject"].tolist()[-1] == "postgres:psql-c/password_encryption"
    list_db = frames.odoo_setting(ev, "list_db")  # [options] only: [queue_job] is ignored
    assert list_db["subject"].tolist() == ["odoo:list_db (a.conf)", "odoo:list_db (b.conf)"]
    assert list_db["value"][0] == "False" and pd.isna(list_db["value"][1])
    redis = frames.setting_values(ev, "redis_info", "evicted_keys", "maxmemory_policy")
    assert redis.columns.tolist() == ["instance", "evicted_keys", "maxmemory_policy"]
    assert redis["maxmemory_policy"].isna().all()
    assert frames.setting_values(evidence_from_records({}), "redis_info") is None


def test_attestation_frame_latest_answer_and_missing_keys():
    ev = evidence_from_records({"attestations": [
        attestation("oncall.rota", "none", at=pd.Timestamp("2026-01-01").date()),
        attestation("oncall.rota", "PagerDuty 24x7")]})
    df = frames.attestation_frame(ev, "oncall.rota", "slo.checkout_availability")
    assert df["value"].tolist() == ["PagerDuty 24x7", ""]
    assert df["present"].tolist() == [True, False]
    assert df["negative"].tolist() == [False, True]
    assert df["by"][0] == "attested by Marta Keller (Platform Lead) on 2026-11-20"
    result = frames.attested_outcome(df, ~df["negative"], "rota: " + df["value"])
    assert result["status"].tolist() == ["pass", "not_assessed"]
    assert result["detail"][1].startswith("No attestation 'slo.checkout_availability'")


def test_private_endpoints_count_by_connection_or_endpoint_resource():
    pending = arm("Microsoft.Cache/Redis", "redis-own", {"privateEndpointConnections": [
        {"properties": {"privateLinkServiceConnectionState": {"status": "Approved"}}}]})
    target = arm("Microsoft.KeyVault/vaults", "kv-a", {})
    plain = arm("Microsoft.KeyVault/vaults", "kv-b", {})
    pe = arm("Microsoft.Network/privateEndpoints", "pe-kv", {
        "privateLinkServiceConnections": [{"properties": {
            "privateLinkServiceId": target["id"].upper() + "/"}}]})
    ev = evidence_from_records({"azure_resources": [pending, target, plain, pe]})
    res = frames.resources(ev, "microsoft.cache/redis", "microsoft.keyvault/vaults")
    assert dict(zip(res["name"], frames.has_private_endpoint(ev, res), strict=True)) == {
        "redis-own": True, "kv-a": True, "kv-b": False}
