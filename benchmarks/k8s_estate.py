"""A generated Kubernetes estate: an AKS cluster hosting hundreds of Odoo shops.

Objects are shaped as the API server returns them (``kubectl get -o json``): metadata with
uid / resourceVersion / creationTimestamp / ownerReferences, the defaults the API server
fills in, status blocks. The shapes follow the test fixtures (``tests/fixtures/kubernetes``:
the Helm-installed Odoo shop, the nodes, Traefik, Prometheus Operator) and the Kubernetes
API reference. Every shop namespace holds what a Helm-installed Odoo has: a web and a cron
Deployment with their ReplicaSets (revision history) and running Pods, Services, an
Ingress or Traefik IngressRoute, HPA, PDB, NetworkPolicies, quota and limits, a backup
CronJob with its Jobs, ConfigMaps, Secrets (placeholder data, as ``kubectl get`` shows it;
the collector keeps their key count only), RBAC, monitoring. A seeded share of the shops
gets each weakness the checks look for (no probes, ``:latest``, privileged, single replica,
no PDB, no default-deny...), so that every check sees passing and failing subjects.

    write_list_dump(path, 20000)      # one ``kind: List`` JSON file
    write_manifests(folder, 20000)    # one multi-document YAML file per namespace
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

import yaml

ZONES = ("westeurope-1", "westeurope-2", "westeurope-3")
BORN = "2026-03-02T09:15:03Z"
PLACEHOLDER = base64.b64encode(b"example-not-a-real-value").decode()


class _Ids:
    """Deterministic uids, resource versions and pod-template hashes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.version = 1000

    def uid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"

    def meta(self, name: str, namespace: str | None = None, *, labels: dict | None = None,
             annotations: dict | None = None, created: str = BORN, owner: dict | None = None,
             generation: int | None = None) -> dict:
        self.version += self.rng.randint(1, 40)
        meta: dict = {"name": name}
        if namespace:
            meta["namespace"] = namespace
        meta |= {"uid": self.uid(), "resourceVersion": str(self.version),
                 "creationTimestamp": created}
        if generation is not None:
            meta["generation"] = generation
        if labels:
            meta["labels"] = labels
        if annotations:
            meta["annotations"] = annotations
        if owner:
            meta["ownerReferences"] = [owner]
        return meta


def _hash(*parts: object) -> str:
    """A pod-template-hash: 10 characters of the template's digest, as the controller does."""
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:10])


def _sha(*parts: object) -> str:
    """64 hex characters: an image digest or a container id."""
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _suffix(rng: random.Random, n: int = 5) -> str:
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))


def _owner(kind: str, obj: dict, api: str = "apps/v1") -> dict:
    return {"apiVersion": api, "kind": kind, "name": obj["metadata"]["name"],
            "uid": obj["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


def _date(rng: random.Random, month_from: int = 3) -> str:
    return (f"2026-{rng.randint(month_from, 11):02d}-{rng.randint(1, 26):02d}T"
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z")


# --- the cluster -----------------------------------------------------------------------------

POOLS = (  # name, mode, vm size, cpu, memory Ki, nodes, zones
    ("system", "system", "Standard_D4ds_v5", "4", 16365820, 3, ZONES),
    ("odoo", "user", "Standard_D8ds_v5", "8", 32864084, 36, ZONES),
    ("batch", "user", "Standard_D4ds_v5", "4", 16365820, 6, ZONES[:1]),
)
DAEMONSETS = ("kube-proxy", "azure-cns", "azure-ip-masq-agent", "csi-azuredisk-node",
              "csi-azurefile-node", "cloud-node-manager")


def nodes(ids: _Ids) -> list[dict]:
    out = []
    for pool, mode, size, cpu, mem, count, zones in POOLS:
        scale_set = f"aks-{pool}-{31415926 + len(pool)}-vmss"
        for i in range(count):
            name = f"{scale_set}{i:06d}"
            zone = zones[i % len(zones)]
            labels = {
                "agentpool": pool, "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/instance-type": size, "beta.kubernetes.io/os": "linux",
                "failure-domain.beta.kubernetes.io/region": "westeurope",
                "failure-domain.beta.kubernetes.io/zone": zone,
                "kubernetes.azure.com/agentpool": pool, "kubernetes.azure.com/cluster":
                "mc_rg-shops_aks-shops_westeurope", "kubernetes.azure.com/mode": mode,
                "kubernetes.azure.com/node-image-version": "AKSUbuntu-2204gen2containerd-"
                "202611.04.0", "kubernetes.azure.com/os-sku": "Ubuntu",
                "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": size,
                "topology.disk.csi.azure.com/zone": zone,
                "topology.kubernetes.io/region": "westeurope", "topology.kubernetes.io/zone": zone,
            }
            spec: dict = {"podCIDR": f"10.244.{len(out)}.0/24",
                          "providerID": "azure:///subscriptions/3f6c2a51-7a1e-4c55-9d1b-"
                          "6a1f3c2b9e10/resourceGroups/mc_rg-shops_aks-shops_westeurope/"
                          f"providers/Microsoft.Compute/virtualMachineScaleSets/{scale_set}/"
                          f"virtualMachines/{i}"}
            if mode == "system":
                spec["taints"] = [{"key": "CriticalAddonsOnly", "value": "true",
                                   "effect": "NoSchedule"}]
            out.append({
                "apiVersion": "v1", "kind": "Node",
                "metadata": ids.meta(name, labels=labels, annotations={
                    "node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
                    created="2026-03-01T18:02:44Z"),
                "spec": spec,
                "status": {
                    "addresses": [{"type": "InternalIP", "address": f"10.30.{len(out)}.4"},
                                  {"type": "Hostname", "address": name}],
                    "allocatable": {"cpu": f"{int(cpu) * 1000 - 180}m",
                                    "memory": f"{mem - 4736000}Ki", "pods": "50"},
                    "capacity": {"cpu": cpu, "memory": f"{mem}Ki", "pods": "50"},
                    "conditions": [
                        {"type": t, "status": "False", "reason": r,
                         "lastHeartbeatTime": "2026-11-27T08:00:00Z"}
                        for t, r in (("MemoryPressure", "KubeletHasSufficientMemory"),
                                     ("DiskPressure", "KubeletHasNoDiskPressure"),
                                     ("PIDPressure", "KubeletHasSufficientPID"))
                    ] + [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                          "message": "kubelet is posting ready status"}],
                    "images": [{"names": [f"mcr.microsoft.com/oss/kubernetes/{d}@sha256:"
                                          f"{_sha(d)}"],
                                "sizeBytes": 30_000_000 + 7919 * k}
                               for k, d in enumerate(DAEMONSETS)],
                    "nodeInfo": {"architecture": "amd64", "kubeletVersion": "v1.30.6",
                                 "containerRuntimeVersion": "containerd://1.7.23-1",
                                 "kernelVersion": "5.15.0-1074-azure",
                                 "osImage": "Ubuntu 22.04.5 LTS", "operatingSystem": "linux"},
                },
            })
    return out


def _pod(ids: _Ids, rng: random.Random, name: str, namespace: str, template: dict,
         owner: dict, node: str) -> dict:
    """A running Pod of ``template`` as the API server returns it (defaults filled in)."""
    spec = json.loads(json.dumps(template["spec"]))
    spec |= {"nodeName": node, "dnsPolicy": spec.get("dnsPolicy", "ClusterFirst"),
             "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
             "priority": 0, "restartPolicy": spec.get("restartPolicy", "Always"),
             "schedulerName": "default-scheduler",
             "serviceAccountName": spec.get("serviceAccountName", "default"),
             "terminationGracePeriodSeconds": spec.get("terminationGracePeriodSeconds", 30),
             "tolerations": [*spec.get("tolerations", []),
                             {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                              "effect": "NoExecute", "tolerationSeconds": 300},
                             {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                              "effect": "NoExecute", "tolerationSeconds": 300}]}
    for c in spec["containers"]:
        c.setdefault("terminationMessagePath", "/dev/termination-log")
        c.setdefault("terminationMessagePolicy", "File")
        c.setdefault("imagePullPolicy", "IfNotPresent")
    started = _date(rng, 10)
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ids.meta(name, namespace, labels=dict(template["metadata"]["labels"]),
                             created=started, owner=owner) | {
            "generateName": name[: name.rfind("-") + 1]},
        "spec": spec,
        "status": {
            "phase": "Running", "qosClass": "Burstable", "startTime": started,
            "hostIP": f"10.30.{rng.randint(0, 44)}.4",
            "podIP": f"10.244.{rng.randint(0, 44)}.{rng.randint(2, 250)}",
            "conditions": [{"type": t, "status": "True", "lastTransitionTime": started}
                           for t in ("Initialized", "Ready", "ContainersReady",
                                     "PodScheduled")],
            "containerStatuses": [{
                "name": c["name"], "image": c["image"], "ready": True, "started": True,
                "restartCount": rng.choice((0, 0, 0, 1, 3)),
                "imageID": f"{c['image'].split('@')[0].rsplit(':', 1)[0]}@sha256:"
                           f"{_sha(c['image'])}",
                "containerID": f"containerd://{_sha(name, c['name'])}",
                "state": {"running": {"startedAt": started}}} for c in spec["containers"]],
        },
    }


def _controller_pods(ids: _Ids, rng: random.Random, kind: str, obj: dict, n: int,
                     nodes_: list[str], history: int) -> list[dict]:
    """A Deployment's ReplicaSets (``history`` old revisions scaled to 0, the current one)
    and the current one's ``n`` Pods; a StatefulSet's / DaemonSet's Pods."""
    meta, spec = obj["metadata"], obj["spec"]
    ns, name = meta.get("namespace"), meta["name"]
    out: list[dict] = []
    template = spec["template"]
    if kind == "Deployment":
        revision = int(meta["annotations"]["deployment.kubernetes.io/revision"])
        current = None
        for rev in range(max(1, revision - max(history, 0)), revision + 1):
            h = _hash(ns, name, rev)
            tpl = json.loads(json.dumps(template))
            tpl["metadata"]["labels"]["pod-template-hash"] = h
            if rev != revision:  # an older image in the revision history
                for c in tpl["spec"]["containers"]:
                    base, at, _ = c["image"].partition("@sha256:")
                    c["image"] = (base.replace(":17.0", ":16.0") + at + _sha(base, rev)
                                  if at else base.replace(":17.0", ":16.0"))
            live = n if rev == revision else 0
            rs = {
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ids.meta(f"{name}-{h}", ns, labels=dict(tpl["metadata"]["labels"]),
                                     annotations={
                                         "deployment.kubernetes.io/desired-replicas": str(n),
                                         "deployment.kubernetes.io/max-replicas": str(n + 1),
                                         "deployment.kubernetes.io/revision": str(rev)},
                                     created=_date(rng), owner=_owner("Deployment", obj),
                                     generation=rng.randint(1, 4)),
                "spec": {"replicas": live, "selector": {"matchLabels": {
                    **spec["selector"]["matchLabels"], "pod-template-hash": h}},
                         "template": tpl},
                "status": {"replicas": live, "fullyLabeledReplicas": live,
                           "readyReplicas": live, "availableReplicas": live,
                           "observedGeneration": 2} if live else {
                    "replicas": 0, "observedGeneration": 2},
            }
            out.append(rs)
            current = rs
        assert current is not None
        h = current["metadata"]["labels"]["pod-template-hash"]
        out += [_pod(ids, rng, f"{name}-{h}-{_suffix(rng)}", ns, current["spec"]["template"],
                     _owner("ReplicaSet", current), rng.choice(nodes_)) for _ in range(n)]
    elif kind == "StatefulSet":
        tpl = json.loads(json.dumps(template))
        tpl["metadata"]["labels"]["controller-revision-hash"] = f"{name}-{_hash(ns, name)}"
        out += [_pod(ids, rng, f"{name}-{i}", ns, tpl, _owner("StatefulSet", obj),
                     rng.choice(nodes_)) for i in range(n)]
    else:  # DaemonSet: one pod per node
        tpl = json.loads(json.dumps(template))
        tpl["metadata"]["labels"]["controller-revision-hash"] = _hash(ns, name)[:10]
        out += [_pod(ids, rng, f"{name}-{_suffix(rng)}", ns, tpl, _owner("DaemonSet", obj),
                     node) for node in nodes_]
    return out


def _workload(ids: _Ids, kind: str, name: str, namespace: str, labels: dict, pod: dict, *,
              replicas: int | None = 1, revision: int = 1, annotations: dict | None = None,
              status: dict | None = None) -> dict:
    spec: dict = {"selector": {"matchLabels": dict(labels)},
                  "template": {"metadata": {"labels": dict(labels)}, "spec": pod}}
    if kind in ("Deployment", "StatefulSet"):
        spec = {"replicas": replicas, "revisionHistoryLimit": 10, **spec}
    if kind == "Deployment":
        spec |= {"progressDeadlineSeconds": 600,
                 "strategy": {"type": "RollingUpdate",
                              "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}
    if kind == "StatefulSet":
        spec |= {"serviceName": name, "podManagementPolicy": "OrderedReady",
                 "updateStrategy": {"type": "RollingUpdate"}}
    ann = {"deployment.kubernetes.io/revision": str(revision)} if kind == "Deployment" else {}
    return {
        "apiVersion": "apps/v1", "kind": kind,
        "metadata": ids.meta(name, namespace, labels=dict(labels),
                             annotations={**ann, **(annotations or {})}, generation=revision),
        "spec": spec,
        "status": status or {"observedGeneration": revision, "replicas": replicas or 0,
                             "readyReplicas": replicas or 0,
                             "availableReplicas": replicas or 0},
    }


def _system_container(name: str, image: str, **extra) -> dict:
    return {"name": name, "image": f"mcr.microsoft.com/oss/kubernetes/{image}",
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}, **extra}


def platform(ids: _Ids, rng: random.Random, node_names: dict[str, list[str]]) -> list[dict]:
    """kube-system (DaemonSets on every node, CoreDNS, metrics-server), Traefik, monitoring,
    Flux, cert-manager, cluster-scoped RBAC and storage classes."""
    every = [n for names in node_names.values() for n in names]
    out: list[dict] = []
    for ns in ("kube-system", "kube-public", "kube-node-lease", "traefik", "monitoring",
               "flux-system", "cert-manager", "gatekeeper-system"):
        out.append({"apiVersion": "v1", "kind": "Namespace",
                    "metadata": ids.meta(ns, labels={"kubernetes.io/metadata.name": ns}),
                    "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    tolerate_all = [{"operator": "Exists"}]
    for ds in DAEMONSETS:
        pod = {"containers": [_system_container(ds, f"{ds}:v1.30.6", securityContext={
            "privileged": True})], "hostNetwork": True, "priorityClassName":
            "system-node-critical", "tolerations": tolerate_all,
            "serviceAccountName": ds}
        obj = _workload(ids, "DaemonSet", ds, "kube-system", {"k8s-app": ds}, pod,
                        replicas=None, status={"currentNumberScheduled": len(every),
                                               "desiredNumberScheduled": len(every),
                                               "numberReady": len(every)})
        out += [obj, *_controller_pods(ids, rng, "DaemonSet", obj, 0, every, 0)]
    for name, image, n in (("coredns", "coredns:v1.11.3", 2),
                           ("metrics-server", "metrics-server:v0.7.2", 2),
                           ("konnectivity-agent", "konnectivity-agent:v0.1.5", 2)):
        pod = {"containers": [_system_container(name, image)], "priorityClassName":
               "system-cluster-critical", "tolerations": [
                   {"key": "CriticalAddonsOnly", "operator": "Exists"}],
               "nodeSelector": {"kubernetes.azure.com/mode": "system"}}
        obj = _workload(ids, "Deployment", name, "kube-system", {"k8s-app": name}, pod,
                        replicas=n, revision=3)
        out += [obj, *_controller_pods(ids, rng, "Deployment", obj, n, node_names["system"],
                                       2)]
    traefik_pod = {"containers": [{
        "name": "traefik", "image": "docker.io/traefik:v3.2.1",
        "args": ["--entryPoints.web.address=:8000", "--entryPoints.websecure.address=:8443",
                 "--providers.kubernetescrd", "--providers.kubernetesingress"],
        "ports": [{"containerPort": 8000, "name": "web"},
                  {"containerPort": 8443, "name": "websecure"}],
        "readinessProbe": {"httpGet": {"path": "/ping", "port": 9000}},
        "livenessProbe": {"httpGet": {"path": "/ping", "port": 9000}},
        "resources": {"requests": {"cpu": "500m", "memory": "256Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "runAsNonRoot": True, "runAsUser": 65532,
                            "capabilities": {"drop": ["ALL"]}}}],
        "serviceAccountName": "traefik",
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": ZONE_KEY,
                                       "whenUnsatisfiable": "DoNotSchedule",
                                       "labelSelector": {"matchLabels": {
                                           "app.kubernetes.io/name": "traefik"}}}]}
    obj = _workload(ids, "Deployment", "traefik", "traefik",
                    {"app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance":
                     "traefik-traefik"}, traefik_pod, replicas=3, revision=5)
    out += [obj, *_controller_pods(ids, rng, "Deployment", obj, 3, node_names["odoo"], 4)]
    out.append({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                "metadata": ids.meta("traefik", annotations={
                    "ingressclass.kubernetes.io/is-default-class": "true"}),
                "spec": {"controller": "traefik.io/ingress-controller"}})
    out.append({"apiVersion": "v1", "kind": "Service",
                "metadata": ids.meta("traefik", "traefik"),
                "spec": {"type": "LoadBalancer", "selector": {"app.kubernetes.io/name":
                                                              "traefik"},
                         "ports": [{"name": "websecure", "port": 443,
                                    "targetPort": "websecure"}]},
                "status": {"loadBalancer": {"ingress": [{"ip": "20.61.14.201"}]}}})
    for name, image in (("kube-prometheus-stack-operator", "quay.io/prometheus-operator/"
                         "prometheus-operator:v0.78.1"),
                        ("kube-state-metrics", "registry.k8s.io/kube-state-metrics/"
                         "kube-state-metrics:v2.13.0")):
        pod = {"containers": [{"name": name, "image": image, "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi"}}}]}
        obj = _workload(ids, "Deployment", name, "monitoring",
                        {"app.kubernetes.io/name": name}, pod, replicas=1, revision=2)
        out += [obj, *_controller_pods(ids, rng, "Deployment", obj, 1, node_names["odoo"],
                                       1)]
    for name in ("source-controller", "kustomize-controller", "helm-controller"):
        pod = {"containers": [{"name": "manager", "image": f"ghcr.io/fluxcd/{name}:v1.4.1"}]}
        obj = _workload(ids, "Deployment", name, "flux-system", {"app": name}, pod,
                        replicas=1, revision=1)
        out += [obj, *_controller_pods(ids, rng, "Deployment", obj, 1, node_names["odoo"],
                                       0)]
    out.append({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                "metadata": ids.meta("shops", "flux-system"),
                "spec": {"interval": "1m", "url": "https://github.com/example/shops-gitops",
                         "ref": {"branch": "main"}}})
    for storage in ("azurefile-csi", "azurefile-csi-premium", "managed-csi",
                    "managed-csi-premium", "default", "managed", "azureblob-fuse-premium"):
        out.append({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                    "metadata": ids.meta(storage),
                    "provisioner": "file.csi.azure.com" if "file" in storage
                    else "disk.csi.azure.com", "reclaimPolicy": "Delete",
                    "volumeBindingMode": "Immediate", "allowVolumeExpansion": True,
                    "parameters": {"skuName": "Premium_LRS" if "premium" in storage
                                   else "StandardSSD_LRS"}})
    for i in range(70):  # AKS ships some 70 ClusterRoles and as many bindings
        name = f"system:controller:{['node', 'pod-gc', 'job', 'cronjob', 'ttl'][i % 5]}-{i}"
        out.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "metadata": ids.meta(name, labels={
                        "kubernetes.io/bootstrapping": "rbac-defaults"}),
                    "rules": [{"apiGroups": ["", "apps"], "resources": ["pods", "deployments"],
                               "verbs": ["get", "list", "watch"]}]})
        out.append({"apiVersion": "rbac.authorization.k8s.io/v1",
                    "kind": "ClusterRoleBinding", "metadata": ids.meta(name),
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                "kind": "ClusterRole", "name": name},
                    "subjects": [{"kind": "ServiceAccount", "name": f"sa-{i}",
                                  "namespace": "kube-system"}]})
    return out


# --- one Odoo shop ---------------------------------------------------------------------------

ZONE_KEY = "topology.kubernetes.io/zone"
#: Share of the shops with each weakness (seeded: the same shops every run).
WEAKNESS = {
    "no_probes": 0.15, "latest": 0.10, "privileged": 0.04, "root": 0.08, "one_replica": 0.15,
    "no_pdb": 0.12, "strict_pdb": 0.06, "no_spread": 0.15, "no_limits": 0.10,
    "literal_secret": 0.05, "no_netpol": 0.10, "no_quota": 0.10, "rwo_filestore": 0.10,
    "no_tls": 0.08, "old_odoo": 0.15, "traefik_route": 0.35, "hpa_min_1": 0.10,
    "no_hpa": 0.15, "backup_failing": 0.10, "automount": 0.15, "docker_hub": 0.10,
    "waiver": 0.03, "bad_waiver": 0.01, "redis": 0.30, "host_path": 0.02,
}


def shop(ids: _Ids, rng: random.Random, index: int, node_names: dict[str, list[str]]
         ) -> Iterator[dict]:
    """Every object of one shop namespace, in the order ``kubectl get all,...`` lists them."""
    weak = {k: rng.random() < p for k, p in WEAKNESS.items()}
    ns = f"shop-{index:04d}"
    name = f"shop{index:04d}"
    app = f"{name}-odoo"
    host = f"{name}.shops.example.com"
    version = "15.0" if weak["old_odoo"] else "17.0"
    digest = _sha(version, index % 7)
    image = ("odoo:latest" if weak["latest"] else
             f"docker.io/bitnami/odoo:{version}.20241105-debian-12-r0" if weak["docker_hub"]
             else f"acrshops.azurecr.io/odoo:{version}@sha256:{digest}")
    common = {"app.kubernetes.io/instance": name, "app.kubernetes.io/name": "odoo",
              "app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": "odoo-26.2.4"}
    helm = {"meta.helm.sh/release-name": name, "meta.helm.sh/release-namespace": ns}

    yield {"apiVersion": "v1", "kind": "Namespace",
           "metadata": ids.meta(ns, labels={"kubernetes.io/metadata.name": ns,
                                            "readiness.kit/tenant": name,
                                            "pod-security.kubernetes.io/enforce": "baseline"}),
           "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
    yield {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": ids.meta("default", ns)}
    sa: dict = {"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": ids.meta(app, ns, labels=dict(common), annotations=dict(helm))}
    if not weak["automount"]:
        sa["automountServiceAccountToken"] = False
    yield sa
    for secret, type_, keys in (
            (app, "Opaque", ("odoo-password", "postgres-password", "smtp-password")),
            (f"{name}-tls", "kubernetes.io/tls", ("tls.crt", "tls.key")),
            *((f"sh.helm.release.v1.{name}.v{v}", "helm.sh/release.v1", ("release",))
              for v in range(1, rng.randint(2, 5)))):
        yield {"apiVersion": "v1", "kind": "Secret", "type": type_,
               "metadata": ids.meta(secret, ns, labels={"owner": "helm", "name": name}
                                    if type_.startswith("helm") else dict(common)),
               "data": {k: PLACEHOLDER for k in keys}}
    yield {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": ids.meta(f"{app}-conf", ns, labels=dict(common), annotations=dict(helm)),
           "data": {"odoo.conf": "[options]\nproxy_mode = True\nlist_db = False\n"
                                 "limit_time_real = 120\n"}}
    yield {"apiVersion": "v1", "kind": "ConfigMap", "metadata": ids.meta("kube-root-ca.crt", ns),
           "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIE6DCCAtCgAwIBAgIQ\n"
                              "-----END CERTIFICATE-----\n"}}
    mode = "ReadWriteOnce" if weak["rwo_filestore"] else "ReadWriteMany"
    storage_class = "managed-csi-premium" if weak["rwo_filestore"] else "azurefile-csi-premium"
    yield {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
           "metadata": ids.meta(f"{app}-filestore", ns, labels=dict(common), annotations={
               "pv.kubernetes.io/bind-completed": "yes",
               "volume.kubernetes.io/storage-provisioner": "file.csi.azure.com"}),
           "spec": {"accessModes": [mode], "resources": {"requests": {"storage": "100Gi"}},
                    "storageClassName": storage_class, "volumeMode": "Filesystem",
                    "volumeName": f"pvc-{ids.uid()}"},
           "status": {"accessModes": [mode], "capacity": {"storage": "100Gi"},
                      "phase": "Bound"}}
    web_labels = {"app.kubernetes.io/component": "web", "app.kubernetes.io/instance": name,
                  "app.kubernetes.io/name": "odoo"}
    gevent = "websocket" if version >= "16" else "longpolling"
    yield {"apiVersion": "v1", "kind": "Service",
           "metadata": ids.meta(app, ns, labels=dict(common), annotations=dict(helm)),
           "spec": {"type": "ClusterIP", "clusterIP": f"10.0.{index % 250}.{index % 200 + 10}",
                    "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                    "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None",
                    "selector": dict(web_labels),
                    "ports": [{"name": "http", "port": 80, "protocol": "TCP",
                               "targetPort": "http"},
                              {"name": gevent, "port": 8072, "protocol": "TCP",
                               "targetPort": gevent}]},
           "status": {"loadBalancer": {}}}

    def odoo_container(role: str) -> dict:
        probe = {"httpGet": {"path": "/web/health", "port": "http", "scheme": "HTTP"},
                 "failureThreshold": 3, "periodSeconds": 10, "timeoutSeconds": 5,
                 "successThreshold": 1}
        args = (["--config=/etc/odoo/odoo.conf", "--workers=5", "--max-cron-threads=0"]
                if role == "web" else
                ["--config=/etc/odoo/odoo.conf", "--no-http", "--workers=0",
                 "--max-cron-threads=2"])
        c: dict = {
            "name": "odoo", "image": image, "args": args,
            "env": [{"name": "ODOO_DATABASE_HOST",
                     "value": f"psql-{ns}.postgres.database.azure.com"},
                    {"name": "ODOO_DATABASE_USER", "value": "odoo"},
                    {"name": "ODOO_DATABASE_PASSWORD", "valueFrom": {"secretKeyRef": {
                        "key": "postgres-password", "name": app}}}],
            "ports": [{"containerPort": 8069, "name": "http", "protocol": "TCP"},
                      {"containerPort": 8072, "name": gevent, "protocol": "TCP"}]
            if role == "web" else [],
            "resources": {} if weak["no_limits"] else {
                "limits": {"cpu": "4", "memory": "8Gi"},
                "requests": {"cpu": "2" if role == "web" else "500m",
                             "memory": "4Gi" if role == "web" else "2Gi"}},
            "securityContext": {"allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"]}, "privileged": False,
                                "readOnlyRootFilesystem": True, "runAsNonRoot": True},
            "volumeMounts": [{"mountPath": "/bitnami/odoo", "name": "odoo-data"},
                             {"mountPath": "/tmp", "name": "tmp"}],
        }
        if not weak["latest"]:
            c["imagePullPolicy"] = "IfNotPresent"
        if weak["literal_secret"]:
            c["env"].append({"name": "ADMIN_PASSWD", "value": "<redacted>"})
        if not weak["no_probes"]:
            c |= {"startupProbe": {**probe, "failureThreshold": 30},
                  "livenessProbe": {**probe, "failureThreshold": 6}, "readinessProbe": probe}
        if weak["privileged"] and role == "web":
            c["securityContext"] = {"privileged": True}
        if weak["root"]:
            c["securityContext"] = {**c["securityContext"], "runAsNonRoot": False,
                                    "runAsUser": 0}
        return c

    def odoo_pod(role: str) -> dict:
        pod: dict = {
            "serviceAccountName": app, "serviceAccount": app, "dnsPolicy": "ClusterFirst",
            "restartPolicy": "Always", "schedulerName": "default-scheduler",
            "terminationGracePeriodSeconds": 120,
            "securityContext": {"fsGroup": 1001, "runAsNonRoot": True, "runAsUser": 1001,
                                "seccompProfile": {"type": "RuntimeDefault"}},
            "nodeSelector": {"kubernetes.azure.com/agentpool": "odoo"},
            "containers": [odoo_container(role)],
            "volumes": [{"name": "odoo-data", "persistentVolumeClaim": {
                "claimName": f"{app}-filestore"}}, {"name": "tmp", "emptyDir": {}}],
        }
        if not weak["automount"]:
            pod["automountServiceAccountToken"] = False
        if role == "web" and not weak["no_spread"]:
            pod["topologySpreadConstraints"] = [{
                "maxSkew": 1, "topologyKey": ZONE_KEY, "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"app.kubernetes.io/component": "web",
                                                  "app.kubernetes.io/instance": name}}}]
        if weak["host_path"] and role == "web":
            pod["volumes"].append({"name": "docker", "hostPath": {
                "path": "/var/run/docker.sock", "type": "Socket"}})
        return pod

    replicas = 1 if weak["one_replica"] else rng.choice((2, 2, 3, 3, 4))
    revision = rng.randint(1, 12)
    annotations = dict(helm)
    if weak["waiver"]:
        annotations["readiness.kit/waive"] = (
            f'RES-K8S-002 reason="single-zone by design" owner=ops-{index} expires=2027-03-31')
    if weak["bad_waiver"]:
        annotations["readiness.kit/waive.2"] = "SEC-K8S-001 reason=debug owner=ops"
    web = _workload(ids, "Deployment", app, ns, {**web_labels, **{
        k: v for k, v in common.items() if k not in web_labels}} | {
        "app.kubernetes.io/version": version}, odoo_pod("web"), replicas=replicas,
        revision=revision, annotations=annotations)
    web["spec"]["selector"] = {"matchLabels": dict(web_labels)}
    web["spec"]["template"]["metadata"]["labels"] = dict(web_labels)
    yield web
    yield from _controller_pods(ids, rng, "Deployment", web, replicas, node_names["odoo"],
                                min(revision - 1, 9))
    cron_labels = {**web_labels, "app.kubernetes.io/component": "cron"}
    cron = _workload(ids, "Deployment", f"{app}-cron", ns, cron_labels, odoo_pod("cron"),
                     replicas=1, revision=max(1, revision - 1), annotations=dict(helm))
    cron["spec"]["strategy"] = {"type": "Recreate"}
    yield cron
    yield from _controller_pods(ids, rng, "Deployment", cron, 1, node_names["odoo"],
                                min(revision - 2, 4))
    if weak["redis"]:
        redis_labels = {"app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": name}
        redis_pod = {"containers": [{
            "name": "redis", "image": "docker.io/bitnami/redis:7.4.1-debian-12-r2",
            "ports": [{"containerPort": 6379, "name": "redis"}],
            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                          "limits": {"memory": "512Mi"}},
            "livenessProbe": {"tcpSocket": {"port": "redis"}, "initialDelaySeconds": 20},
            "readinessProbe": {"exec": {"command": ["redis-cli", "ping"]}}}],
            "securityContext": {"runAsNonRoot": True, "runAsUser": 1001}}
        redis = _workload(ids, "StatefulSet", f"{name}-redis", ns, redis_labels, redis_pod,
                          replicas=1)
        yield redis
        yield from _controller_pods(ids, rng, "StatefulSet", redis, 1, node_names["odoo"], 0)
    if not weak["no_hpa"]:
        low = 1 if weak["hpa_min_1"] else max(2, replicas)
        yield {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
               "metadata": ids.meta(app, ns, labels=dict(common)),
               "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                           "name": app},
                        "minReplicas": low, "maxReplicas": low + rng.choice((2, 4, 8)),
                        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                            "type": "Utilization", "averageUtilization": 65}}}]},
               "status": {"currentReplicas": replicas, "desiredReplicas": replicas,
                          "currentMetrics": [{"type": "Resource", "resource": {
                              "name": "cpu", "current": {"averageUtilization": 31}}}],
                          "conditions": [{"type": "AbleToScale", "status": "True",
                                          "reason": "ReadyForNewScale"}]}}
    if not weak["no_pdb"]:
        budget = {"minAvailable": replicas} if weak["strict_pdb"] else {"maxUnavailable": 1}
        allowed = 0 if weak["strict_pdb"] else min(1, replicas)
        yield {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
               "metadata": ids.meta(app, ns, labels=dict(common), generation=1),
               "spec": {**budget, "selector": {"matchLabels": dict(web_labels)}},
               "status": {"currentHealthy": replicas, "desiredHealthy": replicas - allowed,
                          "disruptionsAllowed": allowed, "expectedPods": replicas,
                          "observedGeneration": 1}}
    if weak["traefik_route"]:
        route: dict = {"entryPoints": ["web" if weak["no_tls"] else "websecure"], "routes": [
            {"kind": "Rule", "match": f"Host(`{host}`) && PathPrefix(`/{gevent}`)",
             "services": [{"kind": "Service", "name": app, "port": 8072}]},
            {"kind": "Rule", "match": f"Host(`{host}`)",
             "services": [{"kind": "Service", "name": app, "port": 80}]}]}
        if not weak["no_tls"]:
            route["tls"] = {"secretName": f"{name}-tls"}
        yield {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute",
               "metadata": ids.meta(app, ns, generation=2), "spec": route}
    else:
        ingress: dict = {"ingressClassName": "traefik", "rules": [{"host": host, "http": {
            "paths": [{"path": f"/{gevent}", "pathType": "Prefix", "backend": {"service": {
                "name": app, "port": {"name": gevent}}}},
                      {"path": "/", "pathType": "Prefix", "backend": {"service": {
                          "name": app, "port": {"name": "http"}}}}]}}]}
        if not weak["no_tls"]:
            ingress["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
        yield {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": ids.meta(app, ns, labels=dict(common), annotations={
                   "cert-manager.io/cluster-issuer": "letsencrypt-prod"}, generation=1),
               "spec": ingress,
               "status": {"loadBalancer": {"ingress": [{"ip": "20.61.14.201"}]}}}
    if not weak["no_netpol"]:
        yield {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": ids.meta("default-deny", ns, generation=1),
               "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}
    yield {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
           "metadata": ids.meta("allow-traefik-to-odoo", ns, generation=1),
           "spec": {"podSelector": {"matchLabels": {"app.kubernetes.io/component": "web"}},
                    "policyTypes": ["Ingress"],
                    "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {
                        "kubernetes.io/metadata.name": "traefik"}}}],
                                 "ports": [{"port": 8069, "protocol": "TCP"},
                                           {"port": 8072, "protocol": "TCP"}]}]}}
    if not weak["no_quota"]:
        hard = {"limits.memory": "96Gi", "pods": "60", "requests.cpu": "40",
                "requests.memory": "64Gi"}
        yield {"apiVersion": "v1", "kind": "ResourceQuota",
               "metadata": ids.meta(f"{name}-quota", ns),
               "spec": {"hard": hard}, "status": {"hard": hard, "used": {
                   "limits.memory": "28Gi", "pods": str(replicas + 2),
                   "requests.cpu": "6750m", "requests.memory": "14848Mi"}}}
        yield {"apiVersion": "v1", "kind": "LimitRange",
               "metadata": ids.meta(f"{name}-limits", ns),
               "spec": {"limits": [{"type": "Container", "default": {"cpu": "1",
                                                                     "memory": "1Gi"},
                                    "defaultRequest": {"cpu": "250m", "memory": "512Mi"},
                                    "max": {"memory": "16Gi"}}]}}
    backup = {
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": ids.meta(f"{app}-backup", ns, labels={
            "app.kubernetes.io/component": "backup", "app.kubernetes.io/instance": name},
            generation=1),
        "spec": {"schedule": f"{index % 60} 2 * * *", "timeZone": "Europe/Berlin",
                 "concurrencyPolicy": "Forbid", "failedJobsHistoryLimit": 1,
                 "successfulJobsHistoryLimit": 3, "suspend": False,
                 "jobTemplate": {"spec": {"backoffLimit": 2, "template": {"spec": {
                     "restartPolicy": "OnFailure", "automountServiceAccountToken": False,
                     "securityContext": {"runAsNonRoot": True, "runAsUser": 1001,
                                         "seccompProfile": {"type": "RuntimeDefault"}},
                     "containers": [{
                         "name": "backup",
                         "image": f"acrshops.azurecr.io/odoo-backup:2.4.1@sha256:{digest}",
                         "imagePullPolicy": "IfNotPresent",
                         "command": ["/bin/sh", "-c", "pg_dump -Fc odoo | azcopy copy"],
                         "resources": {"limits": {"memory": "1Gi"},
                                       "requests": {"cpu": "250m", "memory": "512Mi"}},
                         "securityContext": {"allowPrivilegeEscalation": False,
                                             "capabilities": {"drop": ["ALL"]},
                                             "readOnlyRootFilesystem": True}}]}}}}},
        "status": {"lastScheduleTime": "2026-11-27T01:15:00Z"} if weak["backup_failing"] else
        {"lastScheduleTime": "2026-11-27T01:15:00Z",
         "lastSuccessfulTime": "2026-11-27T01:21:44Z"},
    }
    yield backup
    for day in (25, 26, 27):
        stamp = 29_000_000 + day * 1440
        ok = not (weak["backup_failing"] and day == 27)
        job_spec = json.loads(json.dumps(backup["spec"]["jobTemplate"]["spec"]))
        job_spec["template"]["metadata"] = {"labels": {"job-name": f"{app}-backup-{stamp}"}}
        yield {"apiVersion": "batch/v1", "kind": "Job",
               "metadata": ids.meta(f"{app}-backup-{stamp}", ns, labels={
                   "batch.kubernetes.io/job-name": f"{app}-backup-{stamp}",
                   "job-name": f"{app}-backup-{stamp}"},
                   created=f"2026-11-{day}T01:15:00Z",
                   owner=_owner("CronJob", backup, "batch/v1")),
               "spec": job_spec,
               "status": {"startTime": f"2026-11-{day}T01:15:00Z",
                          "completionTime": f"2026-11-{day}T01:21:44Z", "succeeded": 1}
               if ok else {"startTime": f"2026-11-{day}T01:15:00Z", "failed": 3,
                           "conditions": [{"type": "Failed", "status": "True",
                                           "reason": "BackoffLimitExceeded"}]}}
    yield {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
           "metadata": ids.meta(f"{app}-reader", ns),
           "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]}
    yield {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
           "metadata": ids.meta(f"{app}-reader", ns),
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                       "name": f"{app}-reader"},
           "subjects": [{"kind": "ServiceAccount", "name": app, "namespace": ns}]}
    if index % 2 == 0:
        yield {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
               "metadata": ids.meta(app, ns, labels={"release": "kube-prometheus-stack"}),
               "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "odoo"}},
                        "endpoints": [{"port": "http", "path": "/metrics",
                                       "interval": "30s"}]}}
        yield {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
               "metadata": ids.meta(f"{app}-alerts", ns, labels={
                   "release": "kube-prometheus-stack"}),
               "spec": {"groups": [{"name": "odoo.rules", "rules": [{
                   "alert": "OdooWebDown",
                   "expr": f'kube_deployment_status_replicas_available{{namespace="{ns}",'
                           f'deployment="{app}"}} < 2',
                   "for": "5m", "labels": {"severity": "critical"}}]}]}}


def generate_objects(n: int, seed: int = 0) -> list[dict]:
    """``n`` objects: the cluster (nodes, platform namespaces) and as many shops as fit."""
    rng = random.Random(seed)
    ids = _Ids(rng)
    node_objs = nodes(ids)
    names: dict[str, list[str]] = {}
    for node in node_objs:
        names.setdefault(node["metadata"]["labels"]["agentpool"], []).append(
            node["metadata"]["name"])
    out = [*node_objs, *platform(ids, rng, names)]
    index = 0
    while len(out) < n:
        out.extend(shop(ids, rng, index, names))
        index += 1
    return out[:n]


def write_list_dump(path: str | Path, n: int, seed: int = 0) -> Path:
    """``kubectl get <every kind> -A -o json``: one ``kind: List`` of ``n`` objects."""
    path = Path(path)
    doc = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
           "items": generate_objects(n, seed)}
    path.write_text(json.dumps(doc, indent=4) + "\n", encoding="utf-8")
    return path


def write_manifests(folder: str | Path, n: int, seed: int = 0) -> Path:
    """The same objects as a manifests folder: one multi-document YAML file per namespace
    (``_cluster.yaml`` for cluster-scoped objects), as ``kubectl get -o yaml`` writes them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    by_ns: dict[str, list[dict]] = {}
    for obj in generate_objects(n, seed):
        by_ns.setdefault(obj["metadata"].get("namespace") or "_cluster", []).append(obj)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for ns, objs in by_ns.items():
        text = yaml.dump_all(objs, Dumper=dumper, sort_keys=True, default_flow_style=False)
        (folder / f"{ns}.yaml").write_text(text, encoding="utf-8")
    return folder
