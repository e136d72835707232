"""The console's operators as people: accounts with roles, their sessions, and the audit log.

passwords.py  scrypt hashes (standard library)
accounts.py   AccountStore: accounts, roles (operator < reviewer < admin), the bootstrap admin
sessions.py   SessionStore: server-side sessions per account, revocable (logout, an admin's "end all")
audit.py      AuditLog: append-only record of who did what, when, from where
stores.py     this process's stores, on the case store's database (bot.handoff.settings)
"""
