"""Routing a request through agencies: status transitions, tasks, queues and deadlines."""
