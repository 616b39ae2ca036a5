"""An Odoo-shaped schema (the tables and columns the collector reads, as Odoo 18 with OCA
queue_job creates them) and the rows that make a healthy or a troubled tenant database."""

from __future__ import annotations

import psycopg

SCHEMA = """
CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE,
  state varchar, latest_version varchar);
CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE,
  value text NOT NULL);
CREATE TABLE res_company (id serial PRIMARY KEY, name jsonb NOT NULL);
CREATE TABLE res_users (id serial PRIMARY KEY, login varchar NOT NULL UNIQUE,
  active boolean DEFAULT true, share boolean DEFAULT false);
CREATE TABLE ir_attachment (id serial PRIMARY KEY, name varchar NOT NULL, res_model varchar,
  type varchar, store_fname varchar, db_datas bytea, file_size integer, mimetype varchar);
CREATE TABLE ir_cron (id serial PRIMARY KEY, ir_actions_server_id integer, cron_name jsonb,
  user_id integer, active boolean, interval_number integer, interval_type varchar,
  nextcall timestamp NOT NULL, lastcall timestamp, priority integer, failure_count integer
  DEFAULT 0, first_failure_date timestamp);
CREATE TABLE queue_job (id serial PRIMARY KEY, uuid varchar NOT NULL UNIQUE, name varchar,
  channel varchar, state varchar NOT NULL, date_created timestamp, date_enqueued timestamp,
  date_started timestamp, date_done timestamp, retry integer, max_retries integer,
  exc_info text);
CREATE TABLE sale_order (id serial PRIMARY KEY, name varchar, state varchar,
  create_date timestamp, date_order timestamp);
CREATE TABLE stock_move (id serial PRIMARY KEY, state varchar, create_date timestamp,
  product_uom_qty numeric);
CREATE INDEX ir_attachment_res_idx ON ir_attachment (res_model);
CREATE INDEX queue_job_state_idx ON queue_job (state);
"""

MODULES = [("base", "17.0.1.3"), ("web", "17.0.1.0"), ("sale", "17.0.1.2"),
           ("stock", "17.0.1.1"), ("website_sale", "17.0.1.1"), ("queue_job", "17.0.1.1.0")]


def create_schema(conn: psycopg.Connection, *, version: str = "17.0.1.3") -> None:
    conn.execute(SCHEMA)
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO ir_module_module (name, state, latest_version) "
                        "VALUES (%s, 'installed', %s)",
                        [(n, version if n == "base" else v) for n, v in MODULES])
        cur.execute("INSERT INTO ir_module_module (name, state, latest_version) "
                    "VALUES ('account_accountant', 'uninstalled', NULL)")
        cur.execute("INSERT INTO res_company (name) VALUES ('{\"en_US\": \"Retail SA\"}')")
        cur.executemany("INSERT INTO res_users (login, share) VALUES (%s, %s)",
                        [("admin", False), ("shop", False), ("portal1", True)])


def seed_healthy(conn: psycopg.Connection) -> None:
    """Attachments in the filestore, crons on time, a drained queue, fresh orders."""
    conn.execute("""
      INSERT INTO ir_attachment (name, type, store_fname, file_size)
        SELECT 'img' || g, 'binary', 'ab/' || md5(g::text), 2048 FROM generate_series(1, 50) g;
      INSERT INTO ir_cron (cron_name, active, interval_number, interval_type, nextcall,
                           lastcall)
        VALUES ('{"en_US": "Mail: Email Queue Manager"}', true, 1, 'minutes',
                now() AT TIME ZONE 'UTC' + interval '40 seconds',
                now() AT TIME ZONE 'UTC' - interval '20 seconds'),
               ('{"en_US": "Procurement: run scheduler"}', true, 1, 'days',
                now() AT TIME ZONE 'UTC' + interval '5 hours',
                now() AT TIME ZONE 'UTC' - interval '19 hours');
      INSERT INTO queue_job (uuid, name, channel, state, date_created, date_done)
        SELECT md5('done' || g), 'export', 'root.export', 'done',
               now() AT TIME ZONE 'UTC' - interval '1 hour',
               now() AT TIME ZONE 'UTC' - interval '59 minutes'
        FROM generate_series(1, 30) g;
      INSERT INTO queue_job (uuid, name, channel, state, date_created, date_enqueued)
        VALUES ('p1', 'sync stock', 'root.stock', 'pending',
                now() AT TIME ZONE 'UTC' - interval '10 seconds', NULL);
      INSERT INTO sale_order (name, state, create_date)
        VALUES ('S1', 'sale', now() AT TIME ZONE 'UTC' - interval '2 days'),
               ('S2', 'draft', now() AT TIME ZONE 'UTC' - interval '5 minutes');
      INSERT INTO stock_move (state, create_date)
        VALUES ('done', now() AT TIME ZONE 'UTC' - interval '1 day'),
               ('confirmed', now() AT TIME ZONE 'UTC' - interval '10 minutes');
    """)


def seed_troubled(conn: psycopg.Connection) -> None:
    """Attachments in the database, a late and a failing cron, failed and stuck jobs, a
    backlog, quotations and stock moves waiting for days."""
    conn.execute("""
      INSERT INTO ir_config_parameter (key, value) VALUES ('ir_attachment.location', 'db');
      INSERT INTO ir_attachment (name, type, db_datas, file_size)
        SELECT 'invoice' || g, 'binary', convert_to(repeat('x', 4096), 'UTF8'), 4096
        FROM generate_series(1, 300) g;
      INSERT INTO ir_cron (cron_name, active, interval_number, interval_type, nextcall,
                           lastcall, failure_count, first_failure_date)
        VALUES ('{"en_US": "Mail: Email Queue Manager"}', true, 1, 'minutes',
                now() AT TIME ZONE 'UTC' - interval '3 hours',
                now() AT TIME ZONE 'UTC' - interval '3 hours', 3,
                now() AT TIME ZONE 'UTC' - interval '3 hours'),
               ('{"en_US": "Website: sitemap"}', false, 1, 'days',
                now() AT TIME ZONE 'UTC' - interval '30 days', NULL, 0, NULL);
      INSERT INTO queue_job (uuid, name, channel, state, date_created, date_enqueued,
                             exc_info)
        SELECT md5('failed' || g), 'export order', 'root.marketplace', 'failed',
               now() AT TIME ZONE 'UTC' - interval '2 days',
               now() AT TIME ZONE 'UTC' - interval '2 days', 'Traceback ... token=abc'
        FROM generate_series(1, 12) g;
      INSERT INTO queue_job (uuid, name, channel, state, date_created, date_enqueued,
                             date_started)
        VALUES ('stuck1', 'invoice batch', 'root.invoice', 'started',
                now() AT TIME ZONE 'UTC' - interval '6 hours',
                now() AT TIME ZONE 'UTC' - interval '6 hours',
                now() AT TIME ZONE 'UTC' - interval '5 hours');
      INSERT INTO queue_job (uuid, name, channel, state, date_created)
        SELECT md5('pending' || g), 'sync stock', 'root.stock', 'pending',
               now() AT TIME ZONE 'UTC' - interval '90 minutes'
        FROM generate_series(1, 2500) g;
      INSERT INTO sale_order (name, state, create_date)
        SELECT 'S' || g, 'sent', now() AT TIME ZONE 'UTC' - interval '3 days'
        FROM generate_series(1, 40) g;
      INSERT INTO stock_move (state, create_date)
        SELECT 'waiting', now() AT TIME ZONE 'UTC' - interval '4 days'
        FROM generate_series(1, 25) g;
    """)
