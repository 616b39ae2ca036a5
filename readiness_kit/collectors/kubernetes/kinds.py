"""The kinds a review reads from a cluster, by API group.

Built-in groups are expected on every cluster: a kind the server does not serve or the
identity may not list becomes a collection gap. Optional groups (Traefik, Cilium, Calico,
Prometheus Operator, Argo CD, Flux, cert-manager, KEDA) are read only when discovery shows
them; their absence is a fact about the cluster, not a gap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    group: str          # "" for the core group
    kind: str
    plural: str
    optional: bool = False      # a CRD group: absent means "not installed", not a gap
    metadata_only: bool = False  # contents never requested (Secret, ConfigMap)


def _group(group: str, *kinds: tuple[str, str], optional: bool = False) -> list[Kind]:
    return [Kind(group, kind, plural, optional) for kind, plural in kinds]


KINDS: tuple[Kind, ...] = (
    *_group("", ("Namespace", "namespaces"), ("Node", "nodes"), ("Pod", "pods"),
            ("Service", "services"), ("PersistentVolumeClaim", "persistentvolumeclaims"),
            ("ResourceQuota", "resourcequotas"), ("LimitRange", "limitranges"),
            ("ServiceAccount", "serviceaccounts")),
    Kind("", "ConfigMap", "configmaps", metadata_only=True),
    Kind("", "Secret", "secrets", metadata_only=True),
    *_group("apps", ("Deployment", "deployments"), ("StatefulSet", "statefulsets"),
            ("DaemonSet", "daemonsets"), ("ReplicaSet", "replicasets")),
    *_group("batch", ("CronJob", "cronjobs"), ("Job", "jobs")),
    *_group("autoscaling", ("HorizontalPodAutoscaler", "horizontalpodautoscalers")),
    *_group("policy", ("PodDisruptionBudget", "poddisruptionbudgets")),
    *_group("networking.k8s.io", ("Ingress", "ingresses"), ("IngressClass", "ingressclasses"),
            ("NetworkPolicy", "networkpolicies")),
    *_group("storage.k8s.io", ("StorageClass", "storageclasses")),
    *_group("rbac.authorization.k8s.io", ("Role", "roles"), ("ClusterRole", "clusterroles"),
            ("RoleBinding", "rolebindings"), ("ClusterRoleBinding", "clusterrolebindings")),
    *(k for g in ("traefik.io", "traefik.containo.us")
      for k in _group(g, ("IngressRoute", "ingressroutes"), ("Middleware", "middlewares"),
                      ("TLSOption", "tlsoptions"), optional=True)),
    *_group("cilium.io", ("CiliumNetworkPolicy", "ciliumnetworkpolicies"),
            ("CiliumClusterwideNetworkPolicy", "ciliumclusterwidenetworkpolicies"),
            optional=True),
    *_group("crd.projectcalico.org", ("NetworkPolicy", "networkpolicies"),
            ("GlobalNetworkPolicy", "globalnetworkpolicies"), optional=True),
    *_group("monitoring.coreos.com", ("PrometheusRule", "prometheusrules"),
            ("ServiceMonitor", "servicemonitors"), ("PodMonitor", "podmonitors"),
            optional=True),
    *_group("argoproj.io", ("Application", "applications"),
            ("ApplicationSet", "applicationsets"), ("AppProject", "appprojects"),
            optional=True),
    *_group("kustomize.toolkit.fluxcd.io", ("Kustomization", "kustomizations"), optional=True),
    *_group("helm.toolkit.fluxcd.io", ("HelmRelease", "helmreleases"), optional=True),
    *_group("source.toolkit.fluxcd.io", ("GitRepository", "gitrepositories"),
            ("HelmRepository", "helmrepositories"), ("OCIRepository", "ocirepositories"),
            optional=True),
    *_group("cert-manager.io", ("Certificate", "certificates"), ("Issuer", "issuers"),
            ("ClusterIssuer", "clusterissuers"), optional=True),
    *_group("keda.sh", ("ScaledObject", "scaledobjects"), optional=True),
)

GROUPS: tuple[str, ...] = tuple(dict.fromkeys(k.group for k in KINDS))
