"""Operations: health checks, request ids in logs, backups."""
