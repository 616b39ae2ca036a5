"""Tests of the operations checks OPS-PG-*: PostgreSQL insights."""

from factories import pg_settings, run

from ._shared import pg


def test_pg_stat_statements():
    rows = (pg_settings("psql-a", shared_preload_libraries="azure,pg_cron,pg_stat_statements")
            + pg_settings("psql-b", shared_preload_libraries="azure"))
    ext = [{"server": "psql-a", "datname": "odoo_prod", "extname": "pg_stat_statements",
            "extversion": "1.10"}]
    result = run("OPS-PG-001", {"pg_settings": rows, "pg_extensions": ext})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:psql-a/shared_preload_libraries": "pass",
        "postgres:psql-b/shared_preload_libraries": "fail"}
    assert "extension created in odoo_prod" in result.detail[0]
    assert result.detail[1].endswith("pg_stat_statements not loaded")


def test_pg_slow_statement_logging_from_pg_settings_or_arm():
    result = run("OPS-PG-002", {"pg_settings": pg_settings("psql-a",
                                                           log_min_duration_statement="-1")
                                + pg_settings("psql-b", log_min_duration_statement="1000")})
    assert result.status.tolist() == ["fail", "pass"]
    assert result.detail[0] == "log_min_duration_statement = -1 ms: slow statement logging is off"
    server = pg("psql-c")["id"]
    conf = {"resource_id": f"{server}/configurations/log_min_duration_statement",
            "detail_type": "configurations", "name": "log_min_duration_statement",
            "properties": {"value": "0", "defaultValue": "-1", "dataType": "Integer",
                           "source": "user-override", "allowedValues": "-1-2147483647"}}
    result = run("OPS-PG-002", {"azure_arm_details": [conf]})
    assert result.subject.tolist() == ["postgres:psql-c/log_min_duration_statement"]
    assert result.status.tolist() == ["fail"]
    assert "every statement is logged" in result.detail[0]
    assert run("OPS-PG-002", {}).status.tolist() == ["not_assessed"]
