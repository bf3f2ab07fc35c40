-- TRUNCATE bypasses row triggers: refuse it too, so the audit log stays append-only.
CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
