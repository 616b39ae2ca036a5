"""Reference anchors the data-tier checks cite for their thresholds (one place for each)."""

CHECK_POSTGRES = "https://bucardo.org/check_postgres/check_postgres.pl.html"
PG_GATHER = "https://github.com/jobinau/pg_gather"
PGMONITOR_RULES = ("https://github.com/CrunchyData/pgmonitor/blob/development/prometheus/"
                   "linux/alert-rules/crunchy-alert-rules-pg.yml.example")
PG_EXPORTER_MIXIN = ("https://github.com/prometheus-community/postgres_exporter/blob/master/"
                     "postgres_mixin/alerts/postgres.libsonnet")
PG_DOCS = "https://www.postgresql.org/docs/current/"
PG_VERSIONING = "https://www.postgresql.org/support/versioning/"
ODOO_DEPLOY = "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
ODOO_CONFIG = ("https://www.odoo.com/documentation/17.0/developer/reference/cli.html"
               "#configuration-file")
ODOO_SUPPORT = "https://www.odoo.com/documentation/17.0/administration/supported_versions.html"
QUEUE_JOB = "https://github.com/OCA/queue/blob/17.0/queue_job/README.rst"
REDIS_ADMIN = "https://redis.io/docs/latest/operate/oss_and_stack/management/admin/"
REDIS_PERSISTENCE = "https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/"
REDIS_SECURITY = "https://redis.io/docs/latest/operate/oss_and_stack/management/security/"
REDIS_MEMORY = ("https://redis.io/docs/latest/operate/oss_and_stack/management/optimization/"
                "memory-optimization/")
REDIS_EVICTION = "https://redis.io/docs/latest/develop/reference/eviction/"
REDIS_CLIENTS = "https://redis.io/docs/latest/develop/reference/clients/"
