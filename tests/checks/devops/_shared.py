"""Builders and constants the DevOps check tests of several areas share."""



REPO = "github.com/demo-retail/odoo-platform"


def pipeline(path: str, environment: str | None = None, repo: str = REPO, **flags) -> dict:
    row = {"repo": repo, "path": path, "system": "github-actions",
           "name": path.rsplit("/", 1)[-1].removesuffix(".yml"), "environment": environment,
           "trigger": "push", "runs_tests": False, "builds_image": False, "scans_image": False,
           "signs_image": False, "requires_approval": False, "deploy_method": None,
           "has_rollback": False, "pins_digest": False}
    row.update(flags)
    return row


BUILD = ".github/workflows/build-odoo.yml"
STAGING = ".github/workflows/deploy-staging.yml"
PROD = ".github/workflows/deploy-prod.yml"


def demo_pipelines() -> list[dict]:
    return [
        pipeline(BUILD, runs_tests=True, builds_image=True, scans_image=True),
        pipeline(STAGING, "staging", deploy_method="flux", trigger="workflow_run"),
        pipeline(PROD, "production", deploy_method="flux", requires_approval=True,
                 trigger="workflow_dispatch"),
    ]


def good_pipelines(repo: str = "github.com/acme/shop") -> list[dict]:
    return [
        pipeline(BUILD, repo=repo, runs_tests=True, builds_image=True, scans_image=True,
                 signs_image=True, pins_digest=True),
        pipeline(PROD, "prod", repo=repo, deploy_method="flux", requires_approval=True,
                 has_rollback=True, pins_digest=True),
    ]


def subj(path: str, repo: str = REPO) -> str:
    return f"pipeline:{repo}/{path}"


def release(env: str, component: str, image: str | None, tag: str | None, *,
            digest: str | None = None, chart: str | None = None, config: str | None = "c1",
            replicas: int | None = 1) -> dict:
    return {"repo": REPO, "environment": env, "component": component, "image": image,
            "tag": tag, "digest": digest, "replicas": replicas, "chart_version": chart,
            "config_sha256": config}


ACR_ODOO = "acrretailprod.azurecr.io/odoo"


def demo_releases() -> list[dict]:
    """As the demo tenant: overlay config hashes differ per environment, as they do."""
    return [
        release("staging", "odoo", ACR_ODOO, "17.0-20261120", config="s-odoo", replicas=2),
        release("production", "odoo", ACR_ODOO, "17.0-20261102", config="p-odoo", replicas=3),
        release("staging", "traefik", "acrretailprod.azurecr.io/traefik", "v3.0.4",
                chart="28.3.0", config="s-t", replicas=1),
        release("production", "traefik", "acrretailprod.azurecr.io/traefik", "v2.11.0",
                chart="26.1.0", config="p-t", replicas=2),
        release("staging", "redis-exporter", "oliver006/redis_exporter", "v1.62.0",
                chart="6.4.0", config="c"),
        release("production", "redis-exporter", "oliver006/redis_exporter", "v1.62.0",
                chart="6.4.0", config="c"),
    ]
