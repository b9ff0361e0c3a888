// Functions a reporting SELECT has no business calling: they write, sleep, signal, take locks, read server
// files, open other connections, or run SQL text the checks never saw. A denylist is never complete; the
// read-only transaction and the statement timeout are the backstop (see docs/adapters-sql.md).

const exact: ReadonlySet<string> = new Set([
  // time and signals
  "pg_sleep",
  "pg_sleep_for",
  "pg_sleep_until",
  "pg_terminate_backend",
  "pg_cancel_backend",
  "pg_reload_conf",
  "pg_rotate_logfile",
  "pg_promote",
  "pg_log_backend_memory_contexts",
  "pg_notify",
  "pg_logical_emit_message",
  "pg_import_system_collations",
  // settings and sequences
  "set_config",
  "nextval",
  "setval",
  // server files
  "pg_stat_file",
  // functions that execute SQL passed as text
  "query_to_xml",
  "query_to_xmlschema",
  "query_to_xml_and_xmlschema",
  "cursor_to_xml",
  "cursor_to_xmlschema",
  "ts_stat",
  // MySQL / MariaDB equivalents, for a MySQL dialect
  "sleep",
  "benchmark",
  "load_file",
  "get_lock",
  "release_lock",
  "release_all_locks",
  "is_free_lock",
  "is_used_lock"
])

const prefixes: ReadonlyArray<string> = [
  "pg_sleep",
  "pg_read_",
  "pg_ls_",
  "pg_file_",
  "pg_logdir_",
  "lo_",
  "dblink",
  "pg_advisory",
  "pg_try_advisory",
  "txid_",
  "pg_current_xact_id",
  "pg_replication_",
  "pg_create_",
  "pg_drop_",
  "pg_copy_",
  "pg_switch_",
  "pg_start_backup",
  "pg_stop_backup",
  "pg_backup_",
  "pg_wal_replay_",
  "pg_stat_reset",
  "pg_background_",
  "http_",
  "database_to_xml",
  "schema_to_xml"
]

/** True when a call to `name` (any case, without its schema) is refused. */
export const isForbiddenFunction = (name: string): boolean => {
  const folded = name.toLowerCase()
  return exact.has(folded) || prefixes.some((prefix) => folded.startsWith(prefix))
}
