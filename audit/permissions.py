"""The permission audit pages ask for. audit sits below roles, so it names it here; the
resolver knows it (roles/permissions.py imports it from here) and a test checks that every
permission a view declares is one the resolver knows."""

AUDIT_READ = "audit.read"
