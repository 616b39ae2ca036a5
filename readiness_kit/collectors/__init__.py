"""Read-only collectors: one module per source, each fills evidence tables, no judgement."""
